"""Every review page renders for the person it is for, in both languages."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize("language", ["en", "ja"])
def test_pages_render(scene, login, language):
    pages = [
        (scene.reviewer, reverse("reviews:assignments")),
        (scene.reviewer, reverse("reviews:assignment", args=[scene.assignment.pk])),
        (scene.scientist, reverse("reviews:technical-list")),
        (scene.scientist, reverse("reviews:technical-detail", args=[scene.technical.pk])),
        (scene.staff, reverse("reviews:calls")),
        (scene.staff, reverse("reviews:call-technical", args=[scene.call.pk])),
        (scene.staff, reverse("reviews:call-assignments", args=[scene.call.pk])),
        (scene.staff, reverse("reviews:call-conflicts", args=[scene.call.pk])),
        (scene.staff, reverse("reviews:call-ranking", args=[scene.call.pk])),
    ]
    for person, url in pages:
        client = login(person)
        client.cookies["akari_language"] = language
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

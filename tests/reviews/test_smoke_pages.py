"""Every review page renders for the person it is for, in both languages."""

from __future__ import annotations

from django.urls import reverse

TITLES = {
    "en": ["My peer reviews", "Technical reviews", "Reviews (user office)", "Scores and ranking"],
    "ja": ["担当する課題審査", "技術審査", "審査（利用者窓口）", "評点と順位"],
}


def test_pages_render_in_both_languages(scene, login):
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
        (scene.staff, reverse("reviews:proposal-reviews", args=[scene.proposal.pk])),
    ]
    for language in ("en", "ja"):
        seen = ""
        for person, url in pages:
            client = login(person)
            client.cookies["akari_language"] = language
            response = client.get(url)
            assert response.status_code == 200, (language, url)
            seen += response.content.decode()
        for title in TITLES[language]:
            assert title in seen, (language, title)

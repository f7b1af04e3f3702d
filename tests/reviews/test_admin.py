"""The user office sets up reviews in the admin; review records are read-only there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akari.accounts.roles import Role
from tests.reviews.factories import mfa_user, staff_user

pytestmark = pytest.mark.django_db

MODELS = [
    "beamlinereviewer",
    "reviewerprofile",
    "panel",
    "technicalreview",
    "reviewassignment",
    "conflictofinterest",
    "review",
    "assignmentrun",
]
EDITABLE = {"beamlinereviewer", "reviewerprofile", "panel"}


def test_user_office_sees_every_review_model_and_edits_the_set_up(scene, login):
    client = login(scene.staff)
    for model in MODELS:
        assert client.get(reverse(f"admin:reviews_{model}_changelist")).status_code == 200, model
        add = client.get(reverse(f"admin:reviews_{model}_add"))
        assert add.status_code == (200 if model in EDITABLE else 403), model


def test_records_cannot_be_changed_in_the_admin(scene, login):
    client = login(staff_user())
    url = reverse("admin:reviews_reviewassignment_change", args=[scene.assignment.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_a_beamline_scientist_only_reads_who_reviews_which_beamline(db, login):
    client = login(mfa_user(Role.BEAMLINE_SCIENTIST))
    assert client.get(reverse("admin:reviews_beamlinereviewer_changelist")).status_code == 200
    assert client.get(reverse("admin:reviews_beamlinereviewer_add")).status_code == 403
    assert client.get(reverse("admin:reviews_panel_changelist")).status_code == 403

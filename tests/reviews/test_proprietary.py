"""Proprietary proposals: never shown to panel reviewers; views by staff are audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akari.core.models import AuditEvent
from akari.policies.models import AccessRoute
from akari.reviews.models import ReviewAssignment, TechnicalReview
from tests.proposals.factories import CallFactory, ProposalFactory
from tests.reviews.factories import beamline, reviewer, scientist_of, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(frozen_clock):  # type: ignore[no-untyped-def]
    call = CallFactory()
    route = AccessRoute.objects.get(policy_version=call.policy_version, code="proprietary_normal")
    return ProposalFactory(
        call=call, route=route, status="peer_review", title="Battery cathode secret"
    )


def test_panel_reviewers_never_see_a_proprietary_title_or_content(secret, login):
    person = reviewer()
    assignment = ReviewAssignment.objects.create(
        proposal=secret, reviewer=person, status="assigned"
    )
    client = login(person)

    listing = client.get(reverse("reviews:assignments")).content.decode()
    page = client.get(reverse("reviews:assignment", args=[assignment.pk])).content.decode()
    api = client.get(reverse("v1:review-detail", args=[assignment.pk])).json()

    for text in (listing, page, str(api)):
        assert "Battery cathode secret" not in text
        assert secret.abstract not in text
    assert 'data-testid="content-hidden"' in page
    assert api["abstract"] == ""


def test_staff_and_scientist_views_of_a_proprietary_proposal_are_audited(secret, login):
    scientist = scientist_of(beamline("BL01B1"))
    review = TechnicalReview.objects.create(
        proposal=secret, beamline=beamline("BL01B1"), reviewer=scientist
    )
    url = reverse("reviews:technical-detail", args=[review.pk])
    staff = staff_user()

    assert "Battery cathode secret" in login(staff).get(url).content.decode()
    assert "Battery cathode secret" in login(scientist).get(url).content.decode()

    viewed = AuditEvent.objects.filter(action="proposal.viewed", object_id=str(secret.pk))
    assert sorted(viewed.values_list("actor_id", flat=True)) == sorted([staff.pk, scientist.pk])
    assert [event.detail for event in viewed] == [{"where": "technical"}] * 2


def test_views_of_non_proprietary_proposals_are_not_logged(scene, login):
    login(scene.staff).get(reverse("reviews:technical-detail", args=[scene.technical.pk]))
    assert not AuditEvent.objects.filter(action="proposal.viewed").exists()

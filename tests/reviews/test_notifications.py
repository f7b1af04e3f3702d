"""What reviewers and scientists are told, in their own language."""

from __future__ import annotations

import pytest

from akari.notifications.models import Notification
from akari.reviews import services
from tests.proposals.factories import CallFactory, submitted_proposal
from tests.reviews.factories import beamline, scientist_of, staff_user, start_review


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        ("en", "Peer review requested: call", "You have been asked to review 1 proposal of call"),
        ("ja", "課題審査のお願い：公募", "の課題 1 件の審査をお願いします。"),
    ],
)
def test_published_assignment_notice(scene, language, subject, body):
    from tests.reviews.factories import reviewer

    newcomer = reviewer(preferred_language=language)
    scene.panel.members.add(newcomer)
    services.assignment_add(proposal=scene.proposal, reviewer=newcomer, actor=scene.staff)

    services.assignments_publish(call=scene.call, actor=scene.staff)

    note = Notification.objects.get(kind="reviews.assigned", recipient=newcomer)
    assert subject in note.subject
    assert scene.call.code in note.subject
    assert body in note.body
    assert str(scene.call.peer_review_due) in note.body
    assert note.link == "/reviews/"


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        ("en", "Technical review requested", "1 technical review of a proposal"),
        ("ja", "技術審査のお願い", "技術審査が 1 件あります。"),
    ],
)
def test_technical_review_notice(db, frozen_clock, language, subject, body):
    call = CallFactory()
    scientist = scientist_of(beamline("BL01B1"), preferred_language=language)
    submitted_proposal(call, route_code="normal", beamlines={"BL01B1": 3})

    start_review(call, staff_user())

    note = Notification.objects.get(kind="reviews.technical_assigned", recipient=scientist)
    assert subject in note.subject
    assert body in note.body
    assert note.link == "/reviews/technical/"

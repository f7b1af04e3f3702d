"""Reminders before the review deadlines: once per threshold, idempotent."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from akari.notifications.models import Notification
from akari.reviews.models import ReviewAssignment
from akari.reviews.services.reminders import reminders_send, threshold
from tests.proposals.factories import CallFactory, submitted_proposal
from tests.reviews.factories import beamline, scientist_of, staff_user, start_review

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(10, None), (8, None), (7, 7), (5, 7), (2, 7), (1, 1), (0, 1), (-1, None)],
)
def test_threshold(days_left, expected):
    due = dt.date(2026, 5, 1)
    assert threshold(due, due - dt.timedelta(days=days_left), [7, 1]) == expected


def reminded(kind: str = "reviews.reminder") -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "dedupe_key"))


def test_reviewers_with_open_reviews_are_reminded_once_per_threshold(scene):
    due = scene.call.peer_review_due
    open_reviewers = set(
        ReviewAssignment.objects.filter(status="assigned", conflict=False).values_list(
            "reviewer_id", flat=True
        )
    )
    assert scene.reviewer.pk in open_reviewers
    assert scene.declared.pk in open_reviewers  # still open on the other proposal

    assert reminders_send(today=due - dt.timedelta(days=8)) == 0
    assert reminded() == []

    reminders_send(today=due - dt.timedelta(days=7))
    week = reminded()
    assert [pk for pk, _key in week] == sorted(open_reviewers)
    assert all(key.endswith(":7") for _pk, key in week)
    note = Notification.objects.get(kind="reviews.reminder", recipient=scene.reviewer)
    assert note.context == {"call_code": scene.call.code, "count": 2, "due": str(due)}

    reminders_send(today=due - dt.timedelta(days=7))
    reminders_send(today=due - dt.timedelta(days=3))
    assert reminded() == week

    reminders_send(today=due - dt.timedelta(days=1))
    assert len(reminded()) == 2 * len(open_reviewers)
    reminders_send(today=due + dt.timedelta(days=1))
    assert len(reminded()) == 2 * len(open_reviewers)


def test_submitted_and_conflicted_reviews_need_no_reminder(scene):
    for assignment in ReviewAssignment.objects.filter(reviewer=scene.reviewer):
        ReviewAssignment.objects.filter(pk=assignment.pk).update(status="submitted")

    reminders_send(today=scene.call.peer_review_due)

    recipients = {pk for pk, _key in reminded()}
    assert scene.reviewer.pk not in recipients
    assert scene.conflicted.pk in recipients  # assigned on the other proposal only


def test_technical_reviewers_are_reminded_and_unassigned_reviews_go_to_the_beamline(
    frozen_clock,
):
    call = CallFactory()
    staff = staff_user()
    holder = scientist_of(beamline("BL01B1"))
    submitted_proposal(call, route_code="normal", beamlines={"BL01B1": 3, "BL02B1": 3})
    start_review(call, staff)  # BL02B1 has no scientist yet: unassigned
    colleague = scientist_of(beamline("BL02B1"))
    due = call.technical_review_due

    out = io.StringIO()
    day = f"--date={due - dt.timedelta(days=1)}"
    call_command("send_review_reminders", day, stdout=out)
    call_command("send_review_reminders", day, stdout=out)

    assert [pk for pk, _key in reminded("reviews.technical_reminder")] == sorted(
        [holder.pk, colleague.pk]
    )
    assert out.getvalue().splitlines() == ["2 reminder(s) due.", "2 reminder(s) due."]


def test_reminder_mail_is_in_the_recipients_language(scene):
    scene.reviewer.preferred_language = "en"
    scene.reviewer.save(update_fields=["preferred_language"])
    scene.declared.preferred_language = "ja"
    scene.declared.save(update_fields=["preferred_language"])

    reminders_send(today=scene.call.peer_review_due)

    english = Notification.objects.get(kind="reviews.reminder", recipient=scene.reviewer)
    japanese = Notification.objects.get(kind="reviews.reminder", recipient=scene.declared)
    assert english.subject.endswith(
        f"Reminder: peer reviews for call {scene.call.code} are due {scene.call.peer_review_due}"
    )
    assert "2 of your reviews" in english.body
    assert "課題審査の期限" in japanese.subject
    assert scene.call.code in japanese.subject

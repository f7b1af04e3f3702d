"""Decision letters and promotion notices: every team member, in their language, with the
awarded beamtime; technical comments to the applicant only, never internal comments."""

from __future__ import annotations

import pytest

from akari.notifications.models import Notification
from akari.proposals.models import Proposal
from akari.proposals.services import proposal_withdraw
from akari.selection.services import decision_record, decisions_publish, waitlist_fill
from tests.factories import UserFactory
from tests.selection.conftest import make_proposal

pytestmark = pytest.mark.django_db

S = Proposal.Status
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def mail(settings, mailoutbox):
    settings.TASKS = IMMEDIATE
    return mailoutbox


def person(language: str, **names: str):
    return UserFactory(preferred_language=language, **names)


@pytest.fixture
def decided(closed_call, ranking, user_office):
    """An accepted, a waitlisted and a rejected proposal, each with a Japanese-speaking PI and
    an English-speaking co-investigator."""
    rows = {}
    for key, title in (
        ("accepted", "触媒の構造"),
        ("waitlisted", "電池材料"),
        ("rejected", "磁性"),
    ):
        pi = person("ja", family_name_ja="山田", given_name_ja="太郎")
        co = person("en", family_name="Smith", given_name="Alice")
        rows[key] = make_proposal(
            closed_call, pi=pi, team=[co], beamlines={"BL01B1": 6, "BL14B2": 3}, title=title
        )
    beamlines = {r.beamline.code: r.beamline for r in rows["accepted"].beamline_requests.all()}
    decision_record(
        proposal=rows["accepted"],
        outcome=S.ACCEPTED,
        awarded={beamlines["BL01B1"]: 6, beamlines["BL14B2"]: 2},
        actor=user_office,
    )
    decision_record(proposal=rows["waitlisted"], outcome=S.WAITLISTED, actor=user_office)
    decision_record(proposal=rows["rejected"], outcome=S.REJECTED, actor=user_office)
    ranking.comments = {
        (rows["rejected"].pk, "BL01B1"): "The sample environment cannot reach 4 K.",
    }
    return rows


def letters_to(mail, proposal):
    emails = {p.email for p in (m.person for m in proposal.team.all())}
    return {m.to[0]: m for m in mail if m.to[0] in emails}


def test_publishing_sends_each_team_member_one_letter_in_their_language(
    closed_call, decided, user_office, mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = decisions_publish(call=closed_call, actor=user_office)

    assert sent == 6
    assert len(mail) == 6
    accepted = decided["accepted"]
    pi = accepted.team.get(role="pi").person
    co = accepted.team.get(role="co_investigator").person
    letters = letters_to(mail, accepted)
    ja, en = letters[pi.email], letters[co.email]
    assert ja.subject == f"[Akari] 課題 {accepted.number} 採択のお知らせ"
    assert "山田 太郎 様" in ja.body
    assert (
        f"課題 {accepted.number}「触媒の構造」は、選定委員会の審議の結果、採択されました" in ja.body
    )
    assert "- BL01B1: 6シフト" in ja.body
    assert "- BL14B2: 2シフト" in ja.body
    assert en.subject == f"[Akari] Proposal {accepted.number} accepted"
    assert "Dear Alice Smith," in en.body
    assert "- BL01B1: 6 shifts" in en.body
    assert "- BL14B2: 2 shifts" in en.body
    assert f"/proposals/{accepted.pk}/" in en.body


def test_a_waitlisted_letter_says_so(
    closed_call, decided, user_office, mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=closed_call, actor=user_office)

    waitlisted = decided["waitlisted"]
    letters = letters_to(mail, waitlisted)
    ja = letters[waitlisted.team.get(role="pi").person.email]
    en = letters[waitlisted.team.get(role="co_investigator").person.email]
    assert ja.subject == f"[Akari] 課題 {waitlisted.number}：補欠のお知らせ"
    assert "補欠となりました" in ja.body
    assert en.subject == f"[Akari] Proposal {waitlisted.number}: on the waiting list"
    assert "has been placed on the waiting list" in en.body
    assert "shifts" not in en.body.split("waiting list")[0]


def test_a_rejected_letter_carries_the_technical_comment_to_the_applicant_only(
    closed_call, decided, user_office, mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=closed_call, actor=user_office)

    rejected = decided["rejected"]
    letters = letters_to(mail, rejected)
    en = letters[rejected.team.get(role="co_investigator").person.email]
    ja = letters[rejected.team.get(role="pi").person.email]
    assert en.subject == f"[Akari] Proposal {rejected.number}: result of the review"
    assert "We regret that it could not be accepted." in en.body
    assert "BL01B1: The sample environment cannot reach 4 K." in en.body
    assert "技術審査からのコメント：" in ja.body
    # the other letters carry no technical comments
    others = [m.body for m in mail if m.to[0] not in letters]
    assert all("4 K" not in body for body in others)


def test_letters_are_in_the_inbox_too_with_a_link_to_the_proposal(
    closed_call, decided, user_office, mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=closed_call, actor=user_office)

    pi = decided["accepted"].team.get(role="pi").person
    inbox = Notification.objects.filter(recipient=pi, kind="selection.decision")
    assert [n.link for n in inbox] == [f"/proposals/{decided['accepted'].pk}/"]


def test_a_promoted_team_is_told_in_its_language(
    closed_call, decided, user_office, mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=closed_call, actor=user_office)
    accepted, waitlisted = decided["accepted"], decided["waitlisted"]
    mail.clear()

    with django_capture_on_commit_callbacks(execute=True):
        proposal_withdraw(proposal=accepted, actor=accepted.created_by, reason="Cancelled")
        promoted = waitlist_fill(call=closed_call, actor=user_office)

    assert promoted == [waitlisted]
    letters = letters_to(mail, waitlisted)
    ja = letters[waitlisted.team.get(role="pi").person.email]
    en = letters[waitlisted.team.get(role="co_investigator").person.email]
    assert ja.subject == f"[Akari] 課題 {waitlisted.number}：補欠からの繰り上げ採択のお知らせ"
    assert "- BL01B1: 6シフト" in ja.body
    assert en.subject == (
        f"[Akari] Proposal {waitlisted.number}: beamtime offered from the waiting list"
    )
    assert "- BL01B1: 6 shifts" in en.body
    assert "- BL14B2: 3 shifts" in en.body

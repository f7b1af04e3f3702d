"""Submitting: every rule refuses with its own message, and a refusal writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from akari.accounts.models import CareerStage
from akari.core import clock
from akari.core.models import StatusEvent
from akari.notifications.models import Notification
from akari.proposals import rules, services
from akari.proposals.models import BeamlineRequest, Call, Proposal, TeamMember
from tests.factories import UserFactory
from tests.proposals.factories import CallFactory, ProposalFactory, submitted_proposal

pytestmark = pytest.mark.django_db


def refusal(proposal: Proposal) -> list[str]:
    with pytest.raises(services.SubmissionRefused) as refused:
        services.proposal_submit(proposal=proposal, actor=proposal.created_by)
    return refused.value.messages


def assert_unchanged(proposal: Proposal) -> None:
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.number is None
    assert proposal.submitted_at is None
    assert not StatusEvent.objects.filter(object_id=str(proposal.pk)).exists()
    assert not Notification.objects.filter(dedupe_key__endswith=f":{proposal.pk}").exists()


def test_a_complete_proposal_is_numbered_stamped_and_receipted(call, frozen_clock):
    pi, co = UserFactory(), UserFactory()
    proposal = ProposalFactory(call=call, created_by=pi, team=[co])

    services.proposal_submit(proposal=proposal, actor=pi)

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.number == "2026B0001"
    assert proposal.submitted_at == frozen_clock
    event = StatusEvent.objects.get(object_id=str(proposal.pk))
    assert (event.from_status, event.to_status, event.actor) == ("draft", "submitted", pi)
    receipts = Notification.objects.filter(dedupe_key=f"proposals.submitted:{proposal.pk}")
    assert sorted(n.recipient_id for n in receipts) == sorted([pi.pk, co.pk])


def test_numbers_follow_each_other_per_call(call, frozen_clock):
    other = CallFactory(code="2026C")

    first = submitted_proposal(call)
    second = submitted_proposal(call)
    elsewhere = submitted_proposal(other)

    assert [first.number, second.number, elsewhere.number] == [
        "2026B0001",
        "2026B0002",
        "2026C0001",
    ]


def test_an_empty_draft_lists_every_missing_part(call):
    pi = UserFactory()
    proposal = services.proposal_create(call=call, route=call.routes.get(code="normal"), actor=pi)

    assert refusal(proposal) == [
        "Give the proposal a title.",
        "Write an abstract.",
        "Describe the purpose and expected results.",
        "Choose a research field.",
        "Describe the samples.",
        "Request beamtime on at least one beamline.",
    ]
    assert_unchanged(proposal)


def test_nanoterasu_requests_three_shifts_or_more_in_threes(nano_call):
    proposal = ProposalFactory(call=nano_call, beamlines={"BL02U": 4})

    assert refusal(proposal) == [
        "BL02U: request 3 shifts or more, in multiples of 3 (you asked for 4 shifts)."
    ]
    assert_unchanged(proposal)


def test_granularity_is_checked_when_a_request_is_saved(nano_call):
    proposal = ProposalFactory(call=nano_call, beamlines={})
    beamline = nano_call.offered_beamlines.get(beamline__code="BL13U").beamline

    with pytest.raises(services.SubmissionRefused.__base__) as refused:  # ValidationError
        services.beamline_request_save(
            proposal=proposal,
            actor=proposal.created_by,
            beamline=beamline,
            end_station=None,
            units=2,
        )

    assert refused.value.message_dict == {
        "units": ["BL13U: request 3 shifts or more, in multiples of 3 (you asked for 2 shifts)."]
    }
    assert not BeamlineRequest.objects.filter(proposal=proposal).exists()


def test_spring8_accepts_any_whole_number_of_shifts(call):
    proposal = ProposalFactory(call=call, beamlines={"BL01B1": 1})

    services.proposal_submit(proposal=proposal, actor=proposal.created_by)

    assert proposal.status == Proposal.Status.SUBMITTED


def test_nanoterasu_needs_two_experimenters(nano_call):
    proposal = ProposalFactory(call=nano_call)
    proposal.team.exclude(role=TeamMember.Role.PI).update(is_experimenter=False)

    assert refusal(proposal) == ["At least 2 experimenters must take part (the team has 1)."]
    assert_unchanged(proposal)


def test_nanoterasu_students_do_not_lead(nano_call):
    student = UserFactory(career_stage=CareerStage.STUDENT)
    proposal = ProposalFactory(call=nano_call, created_by=student)

    assert refusal(proposal) == [
        "In this programme a student cannot be the principal investigator; students may "
        "take part as co-investigators."
    ]
    assert_unchanged(proposal)


def test_nanoterasu_students_may_join_as_co_investigators(nano_call):
    student = UserFactory(career_stage=CareerStage.STUDENT)
    proposal = ProposalFactory(call=nano_call, team=[student])

    services.proposal_submit(proposal=proposal, actor=proposal.created_by)

    assert proposal.status == Proposal.Status.SUBMITTED


def test_graduate_student_route_needs_a_student_pi_and_a_supervisor(call):
    senior = UserFactory(career_stage=CareerStage.SENIOR)
    proposal = ProposalFactory(
        call=call, created_by=senior, route=call.routes.get(code="graduate_student")
    )

    assert refusal(proposal) == [
        "Graduate student proposal: the principal investigator must be a doctoral student "
        "(career stage “Student” in their profile).",
        "Graduate student proposal: add the student's supervisor to the team and mark them "
        "as supervisor.",
    ]
    assert_unchanged(proposal)


def test_graduate_student_route_with_student_and_supervisor_submits(call):
    student = UserFactory(career_stage=CareerStage.STUDENT)
    supervisor = UserFactory(career_stage=CareerStage.SENIOR)

    proposal = submitted_proposal(
        call,
        route_code="graduate_student",
        pi=student,
        team=[(supervisor, {"is_supervisor": True})],
    )

    assert proposal.status == Proposal.Status.SUBMITTED


def test_an_overdue_paper_bars_every_team_member(call, monkeypatch):
    late = UserFactory(given_name="Late", family_name="Author")
    proposal = ProposalFactory(call=call, team=[late])
    monkeypatch.setattr(
        rules,
        "blocking_obligations",
        lambda person: ["the paper of 2021A0001 is overdue"] if person == late else [],
    )

    assert refusal(proposal) == [
        f"{late} cannot take part in new proposals: the paper of 2021A0001 is overdue"
    ]
    assert_unchanged(proposal)


def test_nobody_is_barred_until_outcomes_exist(user):
    assert rules.blocking_obligations(user) == []


def test_refused_at_and_after_the_deadline(call):
    proposal = ProposalFactory(call=call)

    with clock.frozen(call.closes_at):
        assert refusal(proposal) == ["The submission deadline (April 17, 2026, 5 p.m.) has passed."]
    assert_unchanged(proposal)
    with clock.frozen(call.closes_at - dt.timedelta(seconds=1)):
        services.proposal_submit(proposal=proposal, actor=proposal.created_by)
    assert proposal.status == Proposal.Status.SUBMITTED


def test_refused_before_the_call_opens(call):
    proposal = ProposalFactory(call=call)

    with clock.frozen(call.opens_at - dt.timedelta(minutes=1)):
        assert refusal(proposal) == [
            "Submissions to this call open on March 1, 2026, 10 a.m.; come back then."
        ]
    assert_unchanged(proposal)


@pytest.mark.parametrize("status", [Call.Status.DRAFT, Call.Status.CLOSED, Call.Status.DECIDED])
def test_refused_when_the_call_is_not_open(call, status):
    proposal = ProposalFactory(call=call)
    Call.objects.filter(pk=call.pk).update(status=status)

    assert refusal(proposal) == ["This call is not open for submissions."]
    assert_unchanged(proposal)


def test_refused_for_a_route_the_call_does_not_accept(call):
    proposal = ProposalFactory(call=call, route=call.routes.get(code="priority"))
    call.routes.remove(proposal.route)

    assert refusal(proposal) == [
        "The access route “Priority access (paid option)” is not accepted in this call."
    ]


def test_refused_for_a_beamline_no_longer_offered(call):
    proposal = ProposalFactory(call=call, beamlines={"BL40XU": 3})
    call.offered_beamlines.filter(beamline__code="BL40XU").delete()

    assert refusal(proposal) == ["BL40XU is not offered in this call."]


def test_a_submitted_proposal_is_not_submitted_again(call):
    proposal = submitted_proposal(call)

    assert refusal(proposal) == [
        "Only a draft can be submitted; this proposal has already been submitted."
    ]
    proposal.refresh_from_db()
    assert proposal.number == "2026B0001"


# --- Anytime requests ------------------------------------------------------------------------


@pytest.fixture
def anytime(packs) -> Call:  # type: ignore[no-untyped-def]
    return CallFactory(anytime=True, code="2026U", beamlines={"BL01B1": 500})


def test_urgent_requests_need_three_weeks_notice(anytime, frozen_clock):
    urgent = anytime.routes.get(code="urgent")
    proposal = ProposalFactory(
        call=anytime, route=urgent, earliest_start=dt.date(2026, 4, 21), beamlines={"BL01B1": 5}
    )

    assert refusal(proposal) == [
        "Urgent / special proposal requests need at least 21 days' notice: the earliest start "
        "is April 22, 2026."
    ]
    assert_unchanged(proposal)

    proposal.earliest_start = dt.date(2026, 4, 22)
    proposal.save()
    services.proposal_submit(proposal=proposal, actor=proposal.created_by)
    assert proposal.number == "2026U0001"
    assert proposal.status == Proposal.Status.SUBMITTED  # reviews moves it on


def test_anytime_requests_count_hours(anytime):
    assert rules.unit_rule(anytime) == rules.UnitRule("hour", 1, 1)
    proposal = ProposalFactory(call=anytime, beamlines={"BL01B1": 5})

    services.proposal_submit(proposal=proposal, actor=proposal.created_by)

    assert proposal.status == Proposal.Status.SUBMITTED


def test_anytime_requests_need_a_start_date(anytime):
    proposal = ProposalFactory(call=anytime, earliest_start=None)

    assert refusal(proposal) == ["Give the earliest start date of the beamtime you request."]


def test_messages_are_translated(nano_call):
    proposal = ProposalFactory(call=nano_call, beamlines={"BL02U": 4}, title="")

    with translation.override("ja"):
        messages = refusal(proposal)

    assert messages == [
        "課題名を入力してください。",
        "BL02U：3シフト以上、3の倍数で申請してください（申請は4シフト）。",
    ]


def test_receipts_are_written_in_each_recipients_language(call):
    pi = UserFactory(preferred_language="ja", family_name_ja="山田", given_name_ja="健二")
    co = UserFactory(preferred_language="en", given_name="Anna", family_name="Berg")

    proposal = submitted_proposal(call, pi=pi, team=[co], title="放射光で見る触媒")

    ja = Notification.objects.get(recipient=pi, kind="proposals.submitted")
    en = Notification.objects.get(recipient=co, kind="proposals.submitted")
    assert ja.subject == "[Akari] 課題2026B0001を受け付けました"
    assert ja.body.startswith("山田 健二 様\n\n課題「放射光で見る触媒」が公募2026Bに申請され")
    assert en.subject == "[Akari] Proposal 2026B0001 received"
    assert en.body.startswith(
        "Dear Anna Berg,\n\nThe proposal “放射光で見る触媒” has been submitted to call 2026B"
    )
    assert ja.link == en.link == f"/proposals/{proposal.pk}/"

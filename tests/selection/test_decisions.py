"""Recording decisions: every outcome, the server-side cap checks, illegal transitions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from akari.core import clock
from akari.core.models import AuditEvent, StatusEvent
from akari.core.workflow import IllegalTransition, history
from akari.facility.models import Beamline
from akari.proposals.models import BeamlineRequest, Call, Proposal
from akari.selection.models import WaitlistEntry
from akari.selection.services import decision_override, decision_record
from tests.factories import OrganisationFactory, UserFactory
from tests.proposals.factories import CallFactory
from tests.selection.conftest import make_proposal

pytestmark = pytest.mark.django_db

S = Proposal.Status


def bl(code: str) -> Beamline:
    return Beamline.objects.get(code=code)


def snapshot(proposal: Proposal) -> tuple:
    proposal.refresh_from_db()
    return (
        proposal.status,
        proposal.decided_at,
        list(proposal.beamline_requests.values_list("units_awarded", flat=True)),
        WaitlistEntry.objects.filter(proposal=proposal).count(),
        StatusEvent.objects.filter(object_id=str(proposal.pk)).count(),
    )


def test_accepting_records_units_status_time_event_and_audit(
    proposal_maker, ranking, user_office, frozen_clock
):
    proposal = proposal_maker(beamlines={"BL01B1": 6, "BL14B2": 4})

    decision_record(
        proposal=proposal,
        outcome=S.ACCEPTED,
        awarded={bl("BL01B1"): 5},
        actor=user_office,
        reason="Committee 2026-06",
    )

    proposal.refresh_from_db()
    assert proposal.status == S.ACCEPTED
    assert proposal.decided_at == clock.now()
    awarded = dict(proposal.beamline_requests.values_list("beamline__code", "units_awarded"))
    assert awarded == {"BL01B1": 5, "BL14B2": 0}
    event = StatusEvent.objects.get(object_id=str(proposal.pk), to_status=S.ACCEPTED)
    assert (event.from_status, event.actor, event.reason) == (
        S.COMMITTEE,
        user_office,
        "Committee 2026-06",
    )
    audit = AuditEvent.objects.get(action="selection.decided", object_id=str(proposal.pk))
    assert audit.detail["awarded"] == {"BL01B1": 5, "BL14B2": 0}


def test_rejecting_awards_nothing(proposal_maker, ranking, user_office):
    proposal = proposal_maker()

    decision_record(proposal=proposal, outcome=S.REJECTED, actor=user_office)

    proposal.refresh_from_db()
    assert proposal.status == S.REJECTED
    assert list(proposal.beamline_requests.values_list("units_awarded", flat=True)) == [0]
    assert not WaitlistEntry.objects.exists()


def test_waitlisting_puts_the_proposal_on_each_beamline_at_its_committee_rank(
    proposal_maker, ranking, user_office
):
    first = proposal_maker(beamlines={"BL01B1": 6})
    second = proposal_maker(beamlines={"BL01B1": 6, "BL14B2": 3})
    ranking.scores = {first.pk: 4.5, second.pk: 3.0}

    decision_record(proposal=second, outcome=S.WAITLISTED, actor=user_office)

    entries = WaitlistEntry.objects.filter(proposal=second).order_by("beamline__code")
    assert [(e.beamline.code, e.rank) for e in entries] == [("BL01B1", 2), ("BL14B2", 1)]
    assert second.status == S.WAITLISTED


def test_waitlisting_uses_the_ranks_given(proposal_maker, ranking, user_office):
    proposal = proposal_maker()

    decision_record(
        proposal=proposal,
        outcome=S.WAITLISTED,
        actor=user_office,
        ranks={bl("BL01B1").pk: 7},
    )

    assert WaitlistEntry.objects.get(proposal=proposal).rank == 7


def test_a_programme_without_waitlist_refuses_to_waitlist(ranking, user_office, frozen_clock):
    call = CallFactory(pack="nanoterasu-shared", status="closed", beamlines={"BL02U": 30})
    proposal = make_proposal(call, route="general", beamlines={"BL02U": 6})
    before = snapshot(proposal)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        decision_record(proposal=proposal, outcome=S.WAITLISTED, actor=user_office)

    assert refused.value.messages == [
        "This programme keeps no waitlist: accept or reject the proposal."
    ]
    assert snapshot(proposal) == before


def test_availability_is_checked_on_the_server(proposal_maker, ranking, user_office):
    # given 30 shifts on BL01B1, 27 already awarded (to different groups, below every cap)
    for units in (6, 6, 6, 6, 3):
        decision_record(
            proposal=proposal_maker(beamlines={"BL01B1": units}),
            outcome=S.ACCEPTED,
            awarded={bl("BL01B1"): units},
            actor=user_office,
        )
    proposal = proposal_maker(beamlines={"BL01B1": 6})
    before = snapshot(proposal)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        decision_record(
            proposal=proposal, outcome=S.ACCEPTED, awarded={bl("BL01B1"): 4}, actor=user_office
        )

    assert refused.value.messages == [
        "BL01B1: awarding 4 shifts would exceed the 30 shifts available in this call "
        "(27 shifts already awarded)."
    ]
    assert snapshot(proposal) == before
    # and what is left may be awarded
    decision_record(
        proposal=proposal, outcome=S.ACCEPTED, awarded={bl("BL01B1"): 3}, actor=user_office
    )
    assert proposal.status == S.ACCEPTED


def test_the_priority_and_proprietary_cap_is_checked_on_the_server(
    proposal_maker, ranking, user_office
):
    # given the SPring-8 cap: 40% of 30 shifts = 12 for priority and proprietary routes
    decision_record(
        proposal=proposal_maker(route="proprietary_normal", beamlines={"BL01B1": 6}),
        outcome=S.ACCEPTED,
        awarded={bl("BL01B1"): 6},
        actor=user_office,
    )
    decision_record(
        proposal=proposal_maker(route="priority", beamlines={"BL01B1": 4}),
        outcome=S.ACCEPTED,
        awarded={bl("BL01B1"): 4},
        actor=user_office,
    )
    proposal = proposal_maker(route="priority", beamlines={"BL01B1": 6})
    normal = proposal_maker(route="normal", beamlines={"BL01B1": 6})
    before = snapshot(proposal)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        decision_record(
            proposal=proposal, outcome=S.ACCEPTED, awarded={bl("BL01B1"): 3}, actor=user_office
        )

    assert refused.value.messages == [
        "BL01B1: awarding 3 shifts would break the priority and proprietary cap: these routes "
        "may have at most 40% of the beamtime (12 shifts), and 10 shifts are already awarded."
    ]
    assert snapshot(proposal) == before
    # a normal proposal is not held by that cap
    decision_record(
        proposal=normal, outcome=S.ACCEPTED, awarded={bl("BL01B1"): 6}, actor=user_office
    )
    assert normal.status == S.ACCEPTED


def test_the_single_group_cap_is_checked_on_the_server(proposal_maker, ranking, user_office):
    # given 20% of 30 shifts = 6 for one group; Tohoku University already holds 4
    tohoku = OrganisationFactory(name_en="Tohoku University", name_ja="東北大学")
    decision_record(
        proposal=proposal_maker(organisation=tohoku, beamlines={"BL01B1": 4}),
        outcome=S.ACCEPTED,
        awarded={bl("BL01B1"): 4},
        actor=user_office,
    )
    proposal = proposal_maker(organisation=tohoku, beamlines={"BL01B1": 6})
    before = snapshot(proposal)

    with translation.override("ja"), pytest.raises(ValidationError) as refused:
        decision_record(
            proposal=proposal, outcome=S.ACCEPTED, awarded={bl("BL01B1"): 3}, actor=user_office
        )

    assert len(refused.value.messages) == 1
    assert "東北大学" in refused.value.messages[0]
    assert "20%" in refused.value.messages[0]
    assert snapshot(proposal) == before
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        decision_record(
            proposal=proposal, outcome=S.ACCEPTED, awarded={bl("BL01B1"): 3}, actor=user_office
        )
    assert refused.value.messages == [
        "BL01B1: awarding 3 shifts would break the single-group cap: one group may have at most "
        "20% of the beamtime (6 shifts), and Tohoku University already has 4 shifts."
    ]


def test_a_pi_without_affiliation_is_a_group_alone(closed_call, ranking, user_office):
    pi = UserFactory(given_name="Ken", family_name="Mori")
    first = make_proposal(closed_call, pi=pi, beamlines={"BL01B1": 6})
    pi.affiliations.all().delete()
    decision_record(
        proposal=first, outcome=S.ACCEPTED, awarded={bl("BL01B1"): 6}, actor=user_office
    )
    second = make_proposal(closed_call, pi=UserFactory(), beamlines={"BL01B1": 6})
    second.team.filter(role="pi").update(person=pi)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        decision_record(
            proposal=second, outcome=S.ACCEPTED, awarded={bl("BL01B1"): 1}, actor=user_office
        )

    assert "Ken Mori already has 6 shifts" in refused.value.messages[0]


def test_granularity_is_checked_on_the_server(ranking, user_office, frozen_clock):
    # NanoTerasu: at least 3 shifts, in multiples of 3 (the whole request is always allowed)
    call = CallFactory(pack="nanoterasu-shared", status="closed", beamlines={"BL02U": 30})
    proposal = make_proposal(call, route="general", beamlines={"BL02U": 9})

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        decision_record(
            proposal=proposal, outcome=S.ACCEPTED, awarded={bl("BL02U"): 4}, actor=user_office
        )

    assert refused.value.messages == [
        "BL02U: a partial award must be at least 3 shifts and a multiple of 3 shifts "
        "(or the whole request)."
    ]
    decision_record(
        proposal=proposal, outcome=S.ACCEPTED, awarded={bl("BL02U"): 6}, actor=user_office
    )
    assert proposal.status == S.ACCEPTED


@pytest.mark.parametrize(
    ("outcome", "awarded", "message"),
    [
        (S.ACCEPTED, {}, "An accepted proposal is awarded beamtime on at least one beamline."),
        (S.ACCEPTED, {"BL01B1": 0}, None),
        (S.ACCEPTED, {"BL01B1": 7}, "BL01B1: 7 shifts is more than the 6 shifts the proposal"),
        (S.ACCEPTED, {"BL40XU": 3}, "Beamtime can only be awarded on the beamlines the"),
        (S.REJECTED, {"BL01B1": 3}, "Only an accepted proposal is awarded beamtime."),
        ("withdrawn", {}, "Choose accepted, waitlisted or rejected."),
        ("committee", {}, "Choose accepted, waitlisted or rejected."),
    ],
)
def test_malformed_decisions_are_refused_and_change_nothing(
    proposal_maker, ranking, user_office, outcome, awarded, message
):
    proposal = proposal_maker(beamlines={"BL01B1": 6})
    before = snapshot(proposal)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        decision_record(
            proposal=proposal,
            outcome=outcome,
            awarded={bl(code): units for code, units in awarded.items()},
            actor=user_office,
        )

    expected = message or "An accepted proposal is awarded beamtime on at least one beamline."
    assert refused.value.messages[0].startswith(expected)
    assert snapshot(proposal) == before


ILLEGAL = [
    (status, outcome)
    for status in S
    if status != S.COMMITTEE
    for outcome in (S.ACCEPTED, S.WAITLISTED, S.REJECTED)
    # decided proposals may be corrected while the call's decisions are unpublished (below)
    if status not in (S.ACCEPTED, S.WAITLISTED, S.REJECTED)
]


@pytest.mark.parametrize(("status", "outcome"), ILLEGAL)
def test_only_a_proposal_at_the_committee_can_be_decided(
    proposal_maker, ranking, user_office, status, outcome
):
    proposal = proposal_maker(status=status, beamlines={"BL01B1": 6})
    before = snapshot(proposal)
    awarded = {bl("BL01B1"): 6} if outcome == S.ACCEPTED else None

    with pytest.raises(IllegalTransition):
        decision_record(proposal=proposal, outcome=outcome, awarded=awarded, actor=user_office)

    assert snapshot(proposal) == before


@pytest.mark.parametrize("outcome", [S.ACCEPTED, S.REJECTED])
def test_a_waitlisted_proposal_may_still_be_accepted_or_closed(
    proposal_maker, ranking, user_office, outcome
):
    proposal = proposal_maker(status=S.WAITLISTED, beamlines={"BL01B1": 6})
    awarded = {bl("BL01B1"): 6} if outcome == S.ACCEPTED else None

    decision_record(proposal=proposal, outcome=outcome, awarded=awarded, actor=user_office)

    proposal.refresh_from_db()
    assert proposal.status == outcome


@pytest.mark.parametrize("outcome", [S.ACCEPTED, S.WAITLISTED, S.REJECTED])
def test_every_decision_from_the_committee_is_allowed(
    proposal_maker, ranking, user_office, outcome
):
    proposal = proposal_maker(beamlines={"BL01B1": 6})
    awarded = {bl("BL01B1"): 6} if outcome == S.ACCEPTED else None

    decision_record(proposal=proposal, outcome=outcome, awarded=awarded, actor=user_office)

    proposal.refresh_from_db()
    assert proposal.status == outcome


def test_override_awards_this_beamline_and_the_proposed_allocation_elsewhere(
    proposal_maker, ranking, user_office
):
    proposal = proposal_maker(beamlines={"BL01B1": 6, "BL14B2": 4})

    decision_override(
        proposal=proposal,
        beamline=bl("BL01B1"),
        outcome=S.ACCEPTED,
        units=2,
        actor=user_office,
    )

    awarded = dict(
        BeamlineRequest.objects.filter(proposal=proposal).values_list(
            "beamline__code", "units_awarded"
        )
    )
    assert awarded == {"BL01B1": 2, "BL14B2": 4}


def test_a_decision_is_corrected_before_publication(proposal_maker, ranking, user_office):
    proposal = proposal_maker(status=S.COMMITTEE, beamlines={"BL01B1": 6})
    decision_record(
        proposal=proposal, outcome=S.ACCEPTED, awarded={bl("BL01B1"): 6}, actor=user_office
    )

    with translation.override("en"):
        decision_record(proposal=proposal, outcome=S.REJECTED, actor=user_office)

    proposal.refresh_from_db()
    assert proposal.status == S.REJECTED
    assert list(proposal.beamline_requests.values_list("units_awarded", flat=True)) == [0]
    moves = [(e.from_status, e.to_status) for e in history(proposal)]
    assert moves[-3:] == [
        ("committee", "accepted"),
        ("accepted", "committee"),
        ("committee", "rejected"),
    ]
    assert history(proposal)[len(moves) - 2].reason == "Decision corrected before publication"


def test_a_refused_correction_keeps_the_first_decision(proposal_maker, ranking, user_office):
    proposal = proposal_maker(status=S.COMMITTEE, beamlines={"BL01B1": 6})
    decision_record(
        proposal=proposal, outcome=S.ACCEPTED, awarded={bl("BL01B1"): 6}, actor=user_office
    )
    before = snapshot(proposal)

    with pytest.raises(ValidationError):
        decision_record(proposal=proposal, outcome=S.ACCEPTED, awarded={}, actor=user_office)

    assert snapshot(proposal) == before


def test_published_decisions_are_final(proposal_maker, ranking, user_office):
    proposal = proposal_maker(status=S.COMMITTEE, beamlines={"BL01B1": 6})
    decision_record(
        proposal=proposal, outcome=S.ACCEPTED, awarded={bl("BL01B1"): 6}, actor=user_office
    )
    Call.objects.filter(pk=proposal.call_id).update(status=Call.Status.DECIDED)
    before = snapshot(proposal)

    with pytest.raises(IllegalTransition):
        decision_record(proposal=proposal, outcome=S.REJECTED, actor=user_office)

    assert snapshot(proposal) == before

"""Adopting the proposed allocation, publishing, and offering freed beamtime to the waitlist."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from akari.core.models import AuditEvent
from akari.core.workflow import IllegalTransition
from akari.proposals.models import Call, Proposal
from akari.proposals.services import proposal_withdraw
from akari.selection.models import WaitlistEntry
from akari.selection.services import (
    decisions_adopt,
    decisions_publish,
    waitlist_fill,
    waitlist_fill_all,
)
from tests.factories import OrganisationFactory
from tests.proposals.factories import CallFactory
from tests.selection.conftest import make_proposal

pytestmark = pytest.mark.django_db

S = Proposal.Status


def statuses(*proposals: Proposal) -> list[tuple[str, list[int | None]]]:
    result = []
    for proposal in proposals:
        proposal.refresh_from_db()
        units = list(proposal.beamline_requests.values_list("units_awarded", flat=True))
        result.append((proposal.status, units))
    return result


@pytest.fixture
def committee(closed_call, proposal_maker, ranking):
    """30 shifts on BL01B1: a proprietary 6 and priority 8 (cap 12 binds), Kyoto 6 + 6
    (group cap 6 binds), three normal 6s (the last does not fit)."""
    kyoto = OrganisationFactory(name_en="Kyoto University")
    rows = {
        "prop": proposal_maker(route="proprietary_normal", beamlines={"BL01B1": 6}),
        "prio": proposal_maker(route="priority", beamlines={"BL01B1": 8}),
        "k1": proposal_maker(organisation=kyoto, beamlines={"BL01B1": 6}),
        "k2": proposal_maker(organisation=kyoto, beamlines={"BL01B1": 6}),
        "n1": proposal_maker(beamlines={"BL01B1": 6}),
        "n2": proposal_maker(beamlines={"BL01B1": 6}),
        "n3": proposal_maker(beamlines={"BL01B1": 6}),
    }
    ranking.scores = {
        rows[k].pk: score for k, score in zip(["k1", "k2", "n1", "n2", "n3"], [5, 4, 3, 2, 1])
    }
    return rows


def test_adopting_records_the_proposed_allocation(closed_call, committee, user_office):
    done = decisions_adopt(call=closed_call, actor=user_office)

    assert (done.accepted, done.waitlisted, done.rejected) == (5, 2, 0)
    c = committee
    assert statuses(c["prop"], c["prio"], c["k1"], c["k2"], c["n1"], c["n2"], c["n3"]) == [
        (S.ACCEPTED, [6]),
        (S.ACCEPTED, [6]),  # partial: the priority + proprietary cap (12) binds
        (S.ACCEPTED, [6]),
        (S.WAITLISTED, [0]),  # Kyoto already has its 20%
        (S.ACCEPTED, [6]),
        (S.ACCEPTED, [6]),
        (S.WAITLISTED, [0]),  # no beamtime left
    ]
    ranks = WaitlistEntry.objects.order_by("rank").values_list("proposal", "rank")
    assert list(ranks) == [(c["k2"].pk, 4), (c["n3"].pk, 7)]
    # running it again decides nothing more
    assert decisions_adopt(call=closed_call, actor=user_office).accepted == 0


def test_a_not_feasible_proposal_is_rejected_when_adopting(
    closed_call, proposal_maker, ranking, user_office
):
    proposal = proposal_maker()
    ranking.verdicts = {(proposal.pk, "BL01B1"): "not_feasible"}

    done = decisions_adopt(call=closed_call, actor=user_office)

    assert (done.accepted, done.waitlisted, done.rejected) == (0, 0, 1)
    assert statuses(proposal) == [(S.REJECTED, [0])]


def test_publishing_needs_every_proposal_decided(closed_call, committee, user_office):
    make_proposal(closed_call, status=S.PEER_REVIEW)
    decisions_adopt(call=closed_call, actor=user_office)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        decisions_publish(call=closed_call, actor=user_office)

    assert refused.value.messages == ["1 proposal of this call has no decision yet."]
    closed_call.refresh_from_db()
    assert closed_call.status == Call.Status.CLOSED


def test_publishing_marks_the_call_decided(closed_call, committee, user_office):
    decisions_adopt(call=closed_call, actor=user_office)

    decisions_publish(call=closed_call, actor=user_office)

    closed_call.refresh_from_db()
    assert closed_call.status == Call.Status.DECIDED
    assert AuditEvent.objects.filter(action="selection.published").count() == 1
    with pytest.raises(IllegalTransition):
        decisions_publish(call=closed_call, actor=user_office)


def test_freed_beamtime_goes_to_the_waitlist_in_rank_order_within_the_caps(
    closed_call, committee, user_office
):
    c = committee
    decisions_adopt(call=closed_call, actor=user_office)
    decisions_publish(call=closed_call, actor=user_office)
    # nothing is free yet
    assert waitlist_fill(call=closed_call, actor=user_office) == []

    # when a normal accepted proposal (6 shifts) is withdrawn
    pi = c["n1"].team.get(role="pi").person
    proposal_withdraw(proposal=c["n1"], actor=pi, reason="Sample not ready")
    promoted = waitlist_fill(call=closed_call, actor=user_office)

    # then k2 (better ranked) stays: Kyoto is at its 20%; n3 gets the 6 shifts
    assert promoted == [c["n3"]]
    assert statuses(c["k2"], c["n3"]) == [(S.WAITLISTED, [0]), (S.ACCEPTED, [6])]
    audit = AuditEvent.objects.get(action="selection.promoted")
    assert audit.detail == {"awarded": {"BL01B1": 6}}
    # and running again promotes nothing more
    assert waitlist_fill(call=closed_call, actor=user_office) == []


def test_freed_beamtime_of_the_same_group_goes_to_its_waitlisted_proposal(
    closed_call, committee, user_office
):
    c = committee
    decisions_adopt(call=closed_call, actor=user_office)
    decisions_publish(call=closed_call, actor=user_office)

    proposal_withdraw(proposal=c["k1"], actor=c["k1"].team.get(role="pi").person)
    promoted = waitlist_fill(call=closed_call, actor=user_office)

    assert promoted == [c["k2"]]
    assert statuses(c["k2"], c["n3"]) == [(S.ACCEPTED, [6]), (S.WAITLISTED, [0])]


def test_the_waitlist_is_not_offered_before_the_decisions_are_published(
    closed_call, committee, user_office
):
    decisions_adopt(call=closed_call, actor=user_office)
    proposal_withdraw(proposal=committee["n1"], actor=committee["n1"].created_by)

    assert waitlist_fill(call=closed_call, actor=user_office) == []
    assert statuses(committee["n3"]) == [(S.WAITLISTED, [0])]


def test_the_command_fills_every_running_call_and_is_idempotent(
    closed_call, committee, user_office, frozen_clock
):
    decisions_adopt(call=closed_call, actor=user_office)
    decisions_publish(call=closed_call, actor=user_office)
    proposal_withdraw(proposal=committee["n2"], actor=committee["n2"].created_by)
    out = io.StringIO()

    call_command("fill_waitlist", stdout=out)

    assert out.getvalue().splitlines() == [
        f"2026B: promoted {committee['n3'].number}",
        "1 proposal(s) promoted.",
    ]
    out = io.StringIO()
    call_command("fill_waitlist", "--call", "2026B", stdout=out)
    assert out.getvalue().splitlines() == ["0 proposal(s) promoted."]
    assert waitlist_fill_all() == {}


def test_the_command_refuses_an_unknown_call(db):
    with pytest.raises(Exception, match="No call with code 'NOPE'"):
        call_command("fill_waitlist", "--call", "NOPE", stdout=io.StringIO())


def test_a_programme_without_waitlist_promotes_nothing(ranking, user_office, frozen_clock):
    call = CallFactory(pack="nanoterasu-shared", status=Call.Status.DECIDED)

    assert waitlist_fill(call=call, actor=user_office) == []


def test_adopting_waitlists_only_where_the_proposal_waits(
    closed_call, proposal_maker, ranking, user_office
):
    # given BL14B2 full, and the proposal not feasible on BL40XU
    ahead = [proposal_maker(beamlines={"BL14B2": 6}) for _ in range(5)]
    both = proposal_maker(beamlines={"BL14B2": 6, "BL40XU": 3})
    ranking.scores = {**{p.pk: 9 for p in ahead}, both.pk: 1}
    ranking.verdicts = {(both.pk, "BL40XU"): "not_feasible"}

    decisions_adopt(call=closed_call, actor=user_office)

    both.refresh_from_db()
    assert both.status == S.WAITLISTED
    assert list(
        WaitlistEntry.objects.filter(proposal=both).values_list("beamline__code", "rank")
    ) == [("BL14B2", 6)]

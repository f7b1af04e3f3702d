"""The committee table: committee order, proposed allocation with the caps, running totals."""

from __future__ import annotations

import pytest

from akari.proposals.models import CallBeamline, Proposal
from akari.selection import selectors
from akari.selection.allocation import Action, Reason
from akari.selection.services import decision_record
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

S = Proposal.Status


def table_for(call, code="BL01B1"):
    return selectors.committee_table(call, CallBeamline.objects.get(call=call, beamline__code=code))


def test_unscored_routes_come_first_then_the_ranking(closed_call, proposal_maker, ranking):
    low = proposal_maker(route="normal")
    high = proposal_maker(route="normal")
    proprietary = proposal_maker(route="proprietary_normal")
    unranked = proposal_maker(route="normal")
    ranking.scores = {low.pk: 2.0, high.pk: 4.0}

    table = table_for(closed_call)

    assert [row.proposal for row in table.rows] == [proprietary, high, low, unranked]
    assert [row.rank for row in table.rows] == [1, 2, 3, 4]
    assert [row.n_reviews for row in table.rows] == [0, 2, 2, 0]
    assert [row.peer_reviewed for row in table.rows] == [False, True, True, True]


def test_the_caps_bind_in_the_proposed_allocation(closed_call, proposal_maker, ranking):
    # given 30 shifts: priority+proprietary at most 12, one group at most 6
    kyoto = OrganisationFactory(name_en="Kyoto University")
    p1 = proposal_maker(route="proprietary_normal", beamlines={"BL01B1": 6})
    p2 = proposal_maker(route="priority", beamlines={"BL01B1": 5})
    p3 = proposal_maker(route="priority", beamlines={"BL01B1": 4})
    n1 = proposal_maker(organisation=kyoto, beamlines={"BL01B1": 6})
    n2 = proposal_maker(organisation=kyoto, beamlines={"BL01B1": 6})
    n3 = proposal_maker(beamlines={"BL01B1": 6})
    n4 = proposal_maker(beamlines={"BL01B1": 6})
    n5 = proposal_maker(beamlines={"BL01B1": 6})
    ranking.scores = {n1.pk: 5, n2.pk: 4, n3.pk: 3, n4.pk: 2, n5.pk: 1}

    table = table_for(closed_call)

    got = [
        (row.proposal, row.suggestion.action, row.suggestion.units, row.suggestion.reason)
        for row in table.rows
    ]
    assert got == [
        (p1, Action.AWARD, 6, Reason.FITS),
        (p2, Action.AWARD, 5, Reason.FITS),
        (p3, Action.AWARD, 1, Reason.CAPPED_SHARE),
        (n1, Action.AWARD, 6, Reason.FITS),
        (n2, Action.WAITLIST, 0, Reason.GROUP_SHARE),
        (n3, Action.AWARD, 6, Reason.FITS),
        (n4, Action.AWARD, 6, Reason.FITS),
        (n5, Action.WAITLIST, 0, Reason.AVAILABILITY),
    ]
    assert [row.suggestion.running_total for row in table.rows] == [6, 11, 12, 18, 18, 24, 30, 30]
    assert (table.proposed.total, table.proposed.capped) == (30, 12)
    assert (table.limits.capped_max, table.limits.group_max) == (12, 6)
    assert (table.capped_percent, table.group_percent) == (40, 20)
    assert table.unit_kind == "shift"
    kyoto_use = next(u for u in table.groups if u.group.organisation == kyoto)
    assert (kyoto_use.recorded, kyoto_use.proposed) == (0, 6)


def test_a_not_feasible_proposal_is_suggested_for_rejection(closed_call, proposal_maker, ranking):
    proposal = proposal_maker()
    ranking.scores = {proposal.pk: 4.0}
    ranking.verdicts = {(proposal.pk, "BL01B1"): "not_feasible"}

    row = table_for(closed_call).rows[0]

    assert (row.suggestion.action, row.suggestion.reason) == (Action.REJECT, Reason.NOT_FEASIBLE)
    assert row.technical_verdict == "not_feasible"


def test_recorded_decisions_stay_and_use_the_beamtime(
    closed_call, proposal_maker, ranking, user_office
):
    first = proposal_maker(beamlines={"BL01B1": 6})
    second = proposal_maker(beamlines={"BL01B1": 6})
    ranking.scores = {first.pk: 5, second.pk: 4}
    decision_record(
        proposal=second,
        outcome=S.ACCEPTED,
        awarded={second.beamline_requests.get().beamline: 6},
        actor=user_office,
    )

    table = table_for(closed_call)

    assert [(r.proposal, r.decided, r.awarded) for r in table.rows] == [
        (first, False, 0),
        (second, True, 6),
    ]
    assert (table.recorded.total, table.remaining) == (6, 24)
    assert [r.suggestion.running_total for r in table.rows] == [6, 12]
    assert table.undecided == [table.rows[0]]


def test_withdrawn_and_earlier_proposals_are_not_in_the_table(closed_call, proposal_maker, ranking):
    for status in (S.SUBMITTED, S.TECHNICAL_REVIEW, S.PEER_REVIEW, S.WITHDRAWN, S.DRAFT):
        proposal_maker(status=status)
    shown = proposal_maker()

    assert [row.proposal for row in table_for(closed_call).rows] == [shown]


def test_proprietary_rows_are_confidential(closed_call, proposal_maker, ranking):
    proposal_maker(route="proprietary_normal")
    proposal_maker(route="priority")

    rows = table_for(closed_call).rows

    assert [(r.route.code, r.confidential, r.capped) for r in rows] == [
        ("proprietary_normal", True, True),
        ("priority", False, True),
    ]


def test_call_overview_sums_awards_and_lists_the_waitlist(
    closed_call, proposal_maker, ranking, user_office
):
    accepted = proposal_maker(route="priority", beamlines={"BL01B1": 6})
    waiting = proposal_maker(beamlines={"BL01B1": 6})
    decision_record(
        proposal=accepted,
        outcome=S.ACCEPTED,
        awarded={accepted.beamline_requests.get().beamline: 5},
        actor=user_office,
    )
    decision_record(proposal=waiting, outcome=S.WAITLISTED, actor=user_office)

    overview = {line.beamline.code: line for line in selectors.call_overview(closed_call)}

    assert sorted(overview) == ["BL01B1", "BL14B2", "BL40XU"]
    line = overview["BL01B1"]
    assert (line.recorded.total, line.recorded.capped, line.free) == (5, 5, 25)
    assert [e.proposal for e in line.waitlist] == [waiting]
    assert overview["BL14B2"].free == 30

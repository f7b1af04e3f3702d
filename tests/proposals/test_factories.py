"""The shared factories build what they promise (other apps' tests rely on them)."""

from __future__ import annotations

import pytest

from akari.proposals.models import Call, Proposal, TeamMember
from tests.factories import UserFactory
from tests.proposals.factories import (
    CallFactory,
    ProposalFactory,
    bulk_proposals,
    submitted_proposal,
)

pytestmark = pytest.mark.django_db


def test_call_factory_offers_the_pack_beamlines_and_call_routes(frozen_clock):
    call = CallFactory(pack="nanoterasu-shared")

    assert call.status == Call.Status.OPEN
    assert call.offered_beamlines.count() == 10
    assert sorted(call.routes.values_list("code", flat=True)) == ["general", "proprietary"]


def test_anytime_call_accepts_the_anytime_routes(frozen_clock):
    call = CallFactory(anytime=True)

    assert call.closes_at is None
    assert sorted(call.routes.values_list("code", flat=True)) == [
        "measurement_service",
        "time_designated",
        "urgent",
    ]


def test_proposal_factory_builds_pi_co_investigator_and_request(frozen_clock):
    proposal = ProposalFactory(call=CallFactory(pack="nanoterasu-shared"))

    roles = sorted(proposal.team.values_list("role", flat=True))
    assert roles == [TeamMember.Role.CO_INVESTIGATOR, TeamMember.Role.PI]
    assert list(proposal.beamline_requests.values_list("beamline__code", "units_requested")) == [
        ("BL02U", 6)
    ]


def test_submitted_proposal_goes_through_the_services(frozen_clock):
    call = CallFactory(code="2026B", beamlines={"BL01B1": 30, "BL14B2": 30})
    pi = UserFactory()

    proposal = submitted_proposal(call, route_code="normal", beamlines={"BL14B2": 4}, pi=pi)

    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.number == "2026B0001"
    assert proposal.team.get(role=TeamMember.Role.PI).person == pi


def test_submitted_proposal_outside_the_window_submits_at_the_opening():
    call = CallFactory(code="2026B")

    proposal = submitted_proposal(call)

    assert proposal.submitted_at == call.opens_at.replace(hour=11)


def test_bulk_proposals_numbers_each(frozen_clock):
    call = CallFactory(code="2026B")

    rows = bulk_proposals(call, 3)

    assert [p.number for p in rows] == ["2026B0001", "2026B0002", "2026B0003"]

"""Every allowed and every illegal status change of calls and proposals."""

from __future__ import annotations

import pytest
from django.db import transaction

from akari.core.models import StatusEvent
from akari.core.workflow import IllegalTransition, transition
from akari.proposals.models import Call, Proposal
from tests.proposals.factories import CallFactory, ProposalFactory

pytestmark = pytest.mark.django_db

PROPOSAL_ALLOWED = {
    ("draft", "submitted"),
    ("submitted", "technical_review"),
    ("submitted", "withdrawn"),
    ("technical_review", "peer_review"),
    ("technical_review", "committee"),
    ("technical_review", "withdrawn"),
    ("peer_review", "committee"),
    ("peer_review", "withdrawn"),
    ("committee", "accepted"),
    ("committee", "waitlisted"),
    ("committee", "rejected"),
    ("committee", "withdrawn"),
    ("waitlisted", "accepted"),
    ("waitlisted", "rejected"),
    ("waitlisted", "withdrawn"),
    ("accepted", "withdrawn"),
    # corrections before publication (guarded by the selection service)
    ("accepted", "committee"),
    ("waitlisted", "committee"),
    ("rejected", "committee"),
}
CALL_ALLOWED = {("draft", "open"), ("open", "closed"), ("closed", "decided"), ("closed", "open")}


def _events() -> int:
    return StatusEvent.objects.count()


@pytest.mark.parametrize("source", [s.value for s in Proposal.Status])
def test_proposal_transitions_from(source, packs, user):
    # given one proposal per target, in the source status
    call = CallFactory()
    for target in Proposal.Status:
        proposal = ProposalFactory(call=call, status=source)
        before = _events()
        if (source, target.value) in PROPOSAL_ALLOWED:
            # when the move is allowed, then it happens and one event records it
            transition(proposal, target, actor=user, reason="test")
            proposal.refresh_from_db()
            assert proposal.status == target
            event = StatusEvent.objects.latest("pk")
            assert (event.from_status, event.to_status, event.actor) == (source, target, user)
            assert _events() == before + 1
        else:
            # when it is illegal, then it raises and nothing changes
            with pytest.raises(IllegalTransition), transaction.atomic():
                transition(proposal, target, actor=user)
            proposal.refresh_from_db()
            assert proposal.status == source
            assert _events() == before


@pytest.mark.parametrize("source", [s.value for s in Call.Status])
def test_call_transitions_from(source, packs, user):
    for target in Call.Status:
        call = CallFactory(status=source)
        before = _events()
        if (source, target.value) in CALL_ALLOWED:
            transition(call, target, actor=user)
            call.refresh_from_db()
            assert call.status == target
            assert _events() == before + 1
        else:
            with pytest.raises(IllegalTransition), transaction.atomic():
                transition(call, target, actor=user)
            call.refresh_from_db()
            assert call.status == source
            assert _events() == before


def test_tables_list_exactly_the_allowed_moves():
    declared = {(str(a), str(b)) for a, targets in Proposal.TRANSITIONS.items() for b in targets}
    assert declared == PROPOSAL_ALLOWED
    declared = {(str(a), str(b)) for a, targets in Call.TRANSITIONS.items() for b in targets}
    assert declared == CALL_ALLOWED


@pytest.mark.parametrize(
    ("status", "public"),
    [
        ("draft", "draft"),
        ("submitted", "under_review"),
        ("technical_review", "under_review"),
        ("peer_review", "under_review"),
        ("committee", "under_review"),
        ("accepted", "accepted"),
        ("waitlisted", "waitlisted"),
        ("rejected", "not_accepted"),
        ("withdrawn", "withdrawn"),
    ],
)
def test_applicants_see_only_the_coarse_status(status, public):
    decided_call = Call(kind=Call.Kind.PERIODIC, status=Call.Status.DECIDED)
    assert Proposal(status=status, call=decided_call).public_status == public

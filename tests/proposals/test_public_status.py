"""The team learns a committee decision only when the call's decisions are published."""

import pytest

from akari.proposals.models import Call, Proposal
from tests.proposals.factories import CallFactory, ProposalFactory, loaded_packs

pytestmark = pytest.mark.django_db

S = Proposal.Status


@pytest.fixture
def call():
    loaded_packs()
    return CallFactory(pack="spring8")


@pytest.mark.parametrize(
    ("status", "before", "after"),
    [
        (S.COMMITTEE, "under_review", "under_review"),
        (S.ACCEPTED, "under_review", "accepted"),
        (S.WAITLISTED, "under_review", "waitlisted"),
        (S.REJECTED, "under_review", "not_accepted"),
        (S.WITHDRAWN, "withdrawn", "withdrawn"),
        (S.DRAFT, "draft", "draft"),
    ],
)
def test_decisions_show_only_once_published(call, status, before, after):
    proposal = ProposalFactory(call=call, status=status)
    Call.objects.filter(pk=call.pk).update(status=Call.Status.CLOSED)
    proposal = Proposal.objects.select_related("call").get(pk=proposal.pk)
    assert proposal.public_status == before
    Call.objects.filter(pk=call.pk).update(status=Call.Status.DECIDED)
    proposal = Proposal.objects.select_related("call").get(pk=proposal.pk)
    assert proposal.public_status == after


def test_anytime_decisions_show_at_once():
    loaded_packs()
    call = CallFactory(pack="spring8", anytime=True)
    proposal = ProposalFactory(call=call, status=S.ACCEPTED)
    assert Proposal.objects.select_related("call").get(pk=proposal.pk).public_status == "accepted"

"""The sanction: an overdue paper bars its person from new proposals (even as a team member)
until the publication is registered or staff waive it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from akari.core import clock
from akari.outcomes import services
from akari.outcomes.engine import outcomes_daily
from akari.outcomes.publications import Author, publication_register
from akari.proposals.models import Proposal, TeamMember
from akari.proposals.rules import blocking_obligations
from akari.proposals.services import SubmissionRefused, proposal_submit
from tests.beamtime.factories import at
from tests.factories import UserFactory
from tests.outcomes.factories import experiment, staff
from tests.proposals.factories import CallFactory, ProposalFactory, submitted_proposal

pytestmark = pytest.mark.django_db


def overdue_paper(**kwargs):
    exp = experiment(**kwargs)
    with clock.frozen(at(2026, 6, 2, 9)):
        outcomes_daily()
    with clock.frozen(at(2029, 6, 2, 9)):
        outcomes_daily()
    paper = exp.obligations.get(kind="publication")
    assert paper.status == "overdue"
    return exp, paper


def refused(call, **kwargs) -> list[str]:
    with pytest.raises(SubmissionRefused) as refusal, translation.override("en"):
        submitted_proposal(call, **kwargs)
    return refusal.value.messages


def test_an_overdue_paper_bars_the_person_as_pi_and_as_team_member():
    exp, _paper = overdue_paper()
    call = CallFactory()

    as_pi = refused(call, pi=exp.lead)
    with pytest.raises(ValidationError) as not_added, translation.override("en"):
        submitted_proposal(call, team=[exp.lead])
    as_member = not_added.value.message_dict["email"]

    for messages in (as_pi, as_member):
        assert len(messages) == 1
        assert "cannot take part in new proposals: the publication of" in messages[0]
        assert f"experiment {exp.reference} (BL01B1)" in messages[0]
        assert "Register the publication under Outcomes" in messages[0]
    assert not Proposal.objects.exclude(status="draft").exists()
    assert not TeamMember.objects.filter(person=exp.lead).exclude(role="pi").exists()


def test_a_team_member_who_became_overdue_after_being_added_blocks_the_submission():
    exp = experiment()
    call = CallFactory()
    draft = ProposalFactory(call=call, team=[exp.lead])
    with clock.frozen(at(2026, 6, 2, 9)):
        outcomes_daily()
    with clock.frozen(at(2029, 6, 2, 9)):
        outcomes_daily()

    with (
        pytest.raises(SubmissionRefused) as refusal,
        translation.override("en"),
        clock.frozen(call.opens_at + dt.timedelta(hours=1)),
    ):
        proposal_submit(proposal=draft, actor=draft.created_by)

    assert len(refusal.value.messages) == 1
    assert exp.reference in refusal.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_registering_the_publication_lifts_the_bar():
    exp, paper = overdue_paper()
    call = CallFactory()
    assert blocking_obligations(exp.lead)

    publication_register(
        facility=exp.beamline.facility,
        actor=exp.lead,
        kind="refereed",
        title="Operando XAFS of Pt nanoparticles",
        year=2029,
        authors=[Author("Hana Sato", "0000-0002-1825-0097")],
        doi="https://doi.org/10.1234/ABC.2029.1",
        experiments=[exp],
    )

    paper.refresh_from_db()
    assert paper.status == "accepted"
    assert blocking_obligations(exp.lead) == []
    assert submitted_proposal(call, pi=exp.lead).status == "submitted"


def test_a_waiver_lifts_the_bar():
    exp, paper = overdue_paper()
    services.obligation_waive(obligation=paper, actor=staff(), reason="共同研究者の論文で代替")

    assert blocking_obligations(exp.lead) == []
    assert submitted_proposal(CallFactory(), team=[exp.lead]).status == "submitted"


def test_an_extension_lifts_the_bar_until_the_new_date():
    exp, paper = overdue_paper()
    with clock.frozen(at(2029, 6, 10, 9)):
        request = services.extension_request(
            obligation=paper, actor=exp.lead, reason="Under review at the journal"
        )
        services.extension_decide(
            request=request, actor=staff(), approve=True, new_due=dt.date(2029, 12, 1)
        )
    assert blocking_obligations(exp.lead) == []
    with clock.frozen(at(2029, 12, 2, 9)):
        outcomes_daily()
    assert len(blocking_obligations(exp.lead)) == 1


def test_overdue_reports_and_other_people_are_not_barred():
    exp, _paper = overdue_paper()
    other = UserFactory()

    assert exp.obligations.get(kind="report").status == "overdue"
    assert blocking_obligations(other) == []
    assert submitted_proposal(CallFactory(), pi=other).status == "submitted"

"""Fixtures of the selection tests: a stand-in for the reviews app's ranking, committee
proposals with PIs in given organisations, and signed-in clients per role."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from akari.accounts.models import Organisation, User
from akari.facility.models import Beamline
from akari.proposals.models import Call, Proposal
from akari.selection import ranking as ranking_source
from tests.factories import AffiliationFactory, OrganisationFactory, UserFactory
from tests.proposals.factories import CallFactory, ProposalFactory


@dataclass(frozen=True)
class Ranked:
    proposal: Proposal
    mean_raw: float | None
    mean_normalised: float | None
    rank: int
    n_reviews: int
    technical_verdict: str | None


@dataclass
class StubRanking:
    """Scores and technical verdicts the tests set. Like the reviews app's ranking: proposals in
    committee or decided, scored ones best first, then the others."""

    scores: dict[int, float] = field(default_factory=dict)
    verdicts: dict[tuple[int, str], str] = field(default_factory=dict)
    comments: dict[tuple[int, str], str] = field(default_factory=dict)
    calls: int = 0

    def comments_to_applicant(self, proposals: Any) -> list[tuple[int, str, str]]:
        wanted = {p.pk for p in proposals}
        return [(pk, code, text) for (pk, code), text in self.comments.items() if pk in wanted]

    def __call__(self, *, call: Call, beamline: Beamline) -> list[Ranked]:
        self.calls += 1
        proposals = Proposal.objects.filter(
            call=call,
            beamline_requests__beamline=beamline,
            status__in=["committee", "accepted", "waitlisted", "rejected"],
        ).select_related("route")
        scored = sorted(
            (p for p in proposals if p.pk in self.scores), key=lambda p: -self.scores[p.pk]
        )
        unscored = sorted((p for p in proposals if p.pk not in self.scores), key=lambda p: p.pk)
        return [
            Ranked(
                proposal=p,
                mean_raw=self.scores.get(p.pk),
                mean_normalised=self.scores.get(p.pk),
                rank=i,
                n_reviews=2 if p.pk in self.scores else 0,
                technical_verdict=self.verdicts.get((p.pk, beamline.code), "feasible"),
            )
            for i, p in enumerate([*scored, *unscored], start=1)
        ]


@pytest.fixture
def ranking(monkeypatch) -> StubRanking:
    stub = StubRanking()
    monkeypatch.setattr(ranking_source, "beamline_ranking", stub)
    monkeypatch.setattr(ranking_source, "comments_to_applicant", stub.comments_to_applicant)
    return stub


@pytest.fixture
def closed_call(db, frozen_clock) -> Call:
    """A closed SPring-8 call (real pack: 40% / 20% caps, waitlist) offering three beamlines
    of 30 shifts each."""
    return CallFactory(
        code="2026B",
        status=Call.Status.CLOSED,
        beamlines={"BL01B1": 30, "BL14B2": 30, "BL40XU": 30},
    )


def make_proposal(
    call: Call,
    *,
    route: str = "normal",
    beamlines: Mapping[str, int] | None = None,
    organisation: Organisation | None = None,
    pi: User | None = None,
    status: str = Proposal.Status.COMMITTEE,
    team: list[User] | None = None,
    **fields: Any,
) -> Proposal:
    """A proposal in committee (by default) whose PI's primary affiliation is
    ``organisation`` (a new one when not given)."""
    pi = pi or UserFactory()
    if not pi.affiliations.exists():
        AffiliationFactory(person=pi, organisation=organisation or OrganisationFactory())
    return ProposalFactory(
        call=call,
        route=call.routes.get(code=route),
        status=status,
        created_by=pi,
        beamlines=beamlines or {"BL01B1": 6},
        team=team,
        **fields,
    )


@pytest.fixture
def proposal_maker(closed_call) -> Callable[..., Proposal]:
    def make(**kwargs: Any) -> Proposal:
        return make_proposal(closed_call, **kwargs)

    return make


def signed_in(client: Any, person: User, language: str = "en") -> Any:
    TOTP.activate(person, generate_totp_secret())
    client.force_login(person)
    client.cookies["akari_language"] = language
    return client


@pytest.fixture
def user_office(db) -> User:
    return UserFactory(roles=["user_office"])


@pytest.fixture
def office_client(client, user_office):
    return signed_in(client, user_office)

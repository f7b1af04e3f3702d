"""Factories and scenario builders of the reviews tests (calls and proposals come from
``tests/proposals/factories.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from akari.accounts.models import Organisation, User
from akari.accounts.roles import Role
from akari.core import clock
from akari.facility.models import Beamline
from akari.proposals.models import Call, Proposal, ResearchField
from akari.reviews import services
from akari.reviews.models import (
    BeamlineReviewer,
    Panel,
    ReviewAssignment,
    ReviewerProfile,
    TechnicalReview,
)
from tests.factories import AffiliationFactory, OrganisationFactory, UserFactory
from tests.proposals.factories import CallFactory, research_field, submitted_proposal

AFTER_DEADLINE = dt.datetime(2026, 4, 20, 9, 0, tzinfo=clock.TOKYO)


def staff_user(**kwargs: Any) -> User:
    person = UserFactory(roles=[Role.USER_OFFICE], **kwargs)
    TOTP.activate(person, generate_totp_secret())
    return person


def mfa_user(*roles: str, **kwargs: Any) -> User:
    person = UserFactory(roles=list(roles), **kwargs)
    TOTP.activate(person, generate_totp_secret())
    return person


def scientist_of(beamline: Beamline, **kwargs: Any) -> User:
    person = mfa_user(Role.BEAMLINE_SCIENTIST, **kwargs)
    BeamlineReviewer.objects.create(beamline=beamline, person=person)
    return person


def reviewer(
    *,
    fields: Iterable[str] = ("materials_structure",),
    keywords: Iterable[str] = (),
    max_load: int | None = None,
    organisation: Organisation | None = None,
    **kwargs: Any,
) -> User:
    person = mfa_user(Role.REVIEWER, **kwargs)
    profile = ReviewerProfile.objects.create(
        user=person, keywords_en=list(keywords), max_load=max_load
    )
    profile.research_fields.set(ResearchField.objects.filter(code__in=list(fields)))
    if organisation is not None:
        AffiliationFactory(person=person, organisation=organisation)
    return person


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel
        skip_postgeneration_save = True

    name_ja = factory.Sequence(lambda n: f"審査分科会{n}")
    name_en = factory.Sequence(lambda n: f"Panel {n}")

    @factory.post_generation
    def research_fields(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            codes = extracted if extracted is not None else ["materials_structure"]
            self.research_fields.set(ResearchField.objects.filter(code__in=codes))

    @factory.post_generation
    def members(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.members.set(extracted)


def beamline(code: str = "BL01B1") -> Beamline:
    return Beamline.objects.get(code=code)


def start_review(call: Call, actor: User) -> list[TechnicalReview]:
    with clock.frozen(AFTER_DEADLINE):
        return services.review_start(call=call, actor=actor)


def pass_technical(proposal: Proposal, verdict: str = "feasible") -> None:
    """Submit every open technical review of ``proposal`` as its reviewer."""
    for review in TechnicalReview.objects.filter(proposal=proposal, status="open"):
        person = review.reviewer
        if person is None:
            link = BeamlineReviewer.objects.filter(beamline=review.beamline).first()
            assert link is not None, "no scientist for the beamline"
            person = link.person
        services.technical_review_submit(
            review=review,
            actor=person,
            verdict=verdict,
            comment_to_applicant="OK",
            internal_comment="",
            recommended_units=None,
        )


def scene() -> SimpleNamespace:
    """One proposal in peer review with every kind of person around it.

    - ``applicant`` (PI) and ``co_investigator`` (at organisation ``org``); ``other_applicant``
      with a proposal of their own in the same call;
    - ``scientist``: technical reviewer of BL01B1 (submitted "feasible");
    - ``reviewer``: published assignment on the proposal;
    - ``conflicted``: a panel member at ``org`` (conflict found on the server: never assigned),
      and ``declared``: was assigned, then declared a conflict;
    - ``staff``: user office.
    """
    s = SimpleNamespace()
    s.staff = staff_user()
    s.org = OrganisationFactory()
    s.call = CallFactory()
    s.scientist = scientist_of(beamline("BL01B1"))
    s.applicant = UserFactory(roles=[Role.APPLICANT])
    s.co_investigator = UserFactory(roles=[Role.APPLICANT])
    AffiliationFactory(person=s.co_investigator, organisation=s.org)
    s.other_applicant = UserFactory(roles=[Role.APPLICANT])
    s.proposal = submitted_proposal(
        s.call,
        route_code="normal",
        beamlines={"BL01B1": 3},
        pi=s.applicant,
        team=[s.co_investigator],
        keywords=["XAFS", "catalysis"],
    )
    s.other_proposal = submitted_proposal(
        s.call, route_code="normal", beamlines={"BL01B1": 3}, pi=s.other_applicant
    )
    s.reviewer = reviewer(keywords=["XAFS"])
    s.declared = reviewer()
    s.conflicted = reviewer(organisation=s.org)
    s.panel = PanelFactory(call=s.call, members=[s.reviewer, s.declared, s.conflicted])
    with clock.frozen(AFTER_DEADLINE):
        services.review_start(call=s.call, actor=s.staff)
        pass_technical(s.proposal)
        pass_technical(s.other_proposal)
        s.technical = TechnicalReview.objects.get(proposal=s.proposal)
        services.assignment_optimise(call=s.call, actor=s.staff)
        services.assignments_publish(call=s.call, actor=s.staff)
        s.assignment = ReviewAssignment.objects.get(proposal=s.proposal, reviewer=s.reviewer)
        declared = ReviewAssignment.objects.get(proposal=s.proposal, reviewer=s.declared)
        services.conflict_declare(assignment=declared, actor=s.declared, detail="Former student")
        s.declared_assignment = ReviewAssignment.objects.get(pk=declared.pk)
    s.proposal.refresh_from_db()
    return s


def research(code: str = "materials_structure") -> ResearchField:
    return research_field(code)

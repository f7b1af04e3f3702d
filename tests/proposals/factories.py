"""Factories for calls and proposals, on the real policy packs.

Typical use (with the ``frozen_clock`` fixture: 2026-04-01 09:00 Tokyo, inside the default
call's submission window)::

    call = CallFactory()                                    # SPring-8 2026B-like, open
    nano = CallFactory(pack="nanoterasu-shared")            # NanoTerasu shared use
    anytime = CallFactory(anytime=True)                     # SPring-8 anytime intake
    draft = ProposalFactory(call=call)                      # PI + co-investigator + 1 request
    proposal = submitted_proposal(call, route_code="normal", beamlines={"BL01B1": 3})
    rows = bulk_proposals(call, 1000)                       # fast, for query-count tests

``ProposalFactory(status=...)`` sets a status directly (test data for later stages);
``submitted_proposal`` goes through the real services (create, save, team, requests, submit).
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
from collections.abc import Iterable, Mapping
from typing import Any

import factory
from django.core.management import call_command

from akari.accounts.models import User
from akari.core import clock
from akari.facility.models import Beamline, Facility
from akari.policies.models import Programme
from akari.proposals import services
from akari.proposals.models import (
    BeamlineRequest,
    Call,
    CallBeamline,
    Proposal,
    ResearchField,
    TeamMember,
)
from akari.proposals.rules import unit_rule
from akari.proposals.timeline import default_timeline
from tests.factories import UserFactory
from tests.policies.factories import pack_catalogue

PERIOD_START = dt.date(2026, 10, 1)  # the default call's period (2026B-like)
PERIOD_END = dt.date(2027, 2, 28)
OPENS_AT = dt.datetime(2026, 3, 1, 10, 0, tzinfo=clock.TOKYO)
DEFAULT_UNITS_AVAILABLE = 60


def loaded_packs() -> dict[str, Facility]:
    """SPring-8 and NanoTerasu with their pack beamlines, the three shipped packs loaded and
    the research fields (idempotent: a second call in the same test does nothing)."""
    if not Programme.objects.filter(code="spring8").exists():
        pack_catalogue()
        call_command("load_policy", all=True, verbosity=0, stdout=io.StringIO())
    research_fields()
    return {f.code: f for f in Facility.objects.filter(code__in=["spring8", "nanoterasu"])}


def programme(code: str = "spring8") -> Programme:
    loaded_packs()
    return Programme.objects.get(code=code)


def _timeline(call: Any) -> Any:
    return default_timeline(call.policy_version.pack, call.period_start)


class CallFactory(factory.django.DjangoModelFactory):
    """An OPEN call of a real programme (``pack``: spring8 or nanoterasu-shared), with the
    programme's routes for its kind and every pack beamline offered (``beamlines={code: units}``
    to choose). Dates follow the policy timeline for a period starting 2026-10-01: submission
    2026-03-01 10:00 to 2026-04-17 17:00 Tokyo. ``anytime=True`` makes the anytime intake."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    class Params:
        pack = "spring8"
        anytime = factory.Trait(
            kind=Call.Kind.ANYTIME,
            closes_at=None,
            technical_review_due=None,
            peer_review_due=None,
            committee_date=None,
            notification_date=None,
            period_start=dt.date(2026, 4, 1),
            period_end=dt.date(2027, 3, 31),
            title_en=factory.Sequence(lambda n: f"Anytime requests {n}"),
            title_ja=factory.Sequence(lambda n: f"随時申請{n}"),
        )

    programme = factory.LazyAttribute(lambda o: programme(o.pack))
    policy_version = factory.LazyAttribute(
        lambda o: o.programme.versions.order_by("-effective_from").first()
    )
    code = factory.Sequence(lambda n: f"T{n:03d}")
    kind = Call.Kind.PERIODIC
    title_ja = factory.Sequence(lambda n: f"2026B期 共用課題募集 {n}")
    title_en = factory.Sequence(lambda n: f"2026B call for proposals {n}")
    status = Call.Status.OPEN
    period_start = PERIOD_START
    period_end = PERIOD_END
    opens_at = OPENS_AT
    closes_at = factory.LazyAttribute(lambda o: _timeline(o).closes_at)
    technical_review_due = factory.LazyAttribute(lambda o: _timeline(o).technical_review_due)
    peer_review_due = factory.LazyAttribute(lambda o: _timeline(o).peer_review_due)
    committee_date = factory.LazyAttribute(lambda o: _timeline(o).committee_date)
    notification_date = factory.LazyAttribute(lambda o: _timeline(o).notification_date)

    @factory.post_generation
    def routes(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            self.routes.set(extracted if extracted is not None else services.routes_for(self))

    @factory.post_generation
    def beamlines(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if not create:
            return
        available = Beamline.objects.filter(
            facility=self.programme.facility, code__in=self.policy_version.pack.beamline_codes
        )
        by_code = {b.code: b for b in available}
        wanted = (
            extracted
            if extracted is not None
            else dict.fromkeys(self.policy_version.pack.beamline_codes, DEFAULT_UNITS_AVAILABLE)
        )
        CallBeamline.objects.bulk_create(
            [
                CallBeamline(call=self, beamline=by_code[code], units_available=units)
                for code, units in wanted.items()
            ]
        )


def research_fields() -> None:
    """The research fields of migration 0002 (a transactional test's flush removes them)."""
    if ResearchField.objects.exists():
        return
    migration = importlib.import_module("akari.proposals.migrations.0002_research_fields")
    for order, (code, ja, en) in enumerate(migration.FIELDS):
        ResearchField.objects.get_or_create(
            code=code, defaults={"name_ja": ja, "name_en": en, "order": order}
        )


def research_field(code: str = "materials_structure") -> ResearchField:
    research_fields()
    return ResearchField.objects.get(code=code)


def _number(proposal: Any, n: int) -> str | None:
    if proposal.status == Proposal.Status.DRAFT:
        return None
    return f"{proposal.call.code}{n:04d}"


class ProposalFactory(factory.django.DjangoModelFactory):
    """A complete proposal (draft by default): the creator as PI, one co-investigator (both
    experimenters), one beamline request on the call's first offered beamline of twice the
    minimum the policy allows. ``team=[user, ...]`` adds co-investigators instead of the
    default one; ``beamlines={code: units}`` replaces the request. ``status=...`` sets the
    status directly (no transition, no event): test data only."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    route = factory.LazyAttribute(lambda o: o.call.routes.order_by("order").first())
    status = Proposal.Status.DRAFT
    number = factory.LazyAttributeSequence(_number)
    title = factory.Sequence(lambda n: f"ナノ粒子触媒の局所構造解析 {n}")
    abstract = "オペランドXAFSで担持金属ナノ粒子の局所構造変化を調べる。"
    purpose = "反応中の構造変化を明らかにし、触媒設計の指針を得る。"
    field = factory.LazyFunction(research_field)
    keywords = factory.LazyFunction(lambda: ["XAFS", "catalysis"])
    samples = "Pt/Al2O3 粉末 100 mg"
    created_by = factory.SubFactory(UserFactory)
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == Proposal.Status.DRAFT else clock.now()
    )
    earliest_start = factory.LazyAttribute(
        lambda o: (
            clock.today() + dt.timedelta(days=30) if o.call.kind == Call.Kind.ANYTIME else None
        )
    )

    @factory.post_generation
    def team(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if not create:
            return
        TeamMember.objects.create(proposal=self, person=self.created_by, role=TeamMember.Role.PI)
        others = extracted if extracted is not None else [UserFactory()]
        for person in others:
            TeamMember.objects.create(
                proposal=self, person=person, role=TeamMember.Role.CO_INVESTIGATOR
            )

    @factory.post_generation
    def beamlines(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if not create:
            return
        _add_requests(self, extracted)


def _add_requests(proposal: Proposal, wanted: Mapping[str, int] | None) -> None:
    offered = {
        cb.beamline.code: cb.beamline
        for cb in CallBeamline.objects.filter(call=proposal.call).select_related("beamline")
    }
    if wanted is None:
        first = sorted(offered)[0]
        wanted = {first: unit_rule(proposal.call).minimum * 2}
    BeamlineRequest.objects.bulk_create(
        [
            BeamlineRequest(proposal=proposal, beamline=offered[code], units_requested=units)
            for code, units in wanted.items()
        ]
    )


TeamEntry = User | tuple[User, Mapping[str, Any]]


def submitted_proposal(
    call: Call,
    *,
    route_code: str | None = None,
    beamlines: Mapping[str, int] | None = None,
    pi: User | None = None,
    team: Iterable[TeamEntry] | None = None,
    **fields: Any,
) -> Proposal:
    """A complete proposal submitted through the real services.

    ``team`` entries are users (co-investigators, experimenters) or ``(user, {"role": ...,
    "is_supervisor": ..., "is_experimenter": ...})``; by default one co-investigator is added.
    ``fields`` override the draft's content (title, abstract, field, earliest_start, ...).
    When the clock is outside the call's submission window, the whole thing happens at the
    window's opening plus one hour (frozen).
    """
    now = clock.now()
    inside = call.opens_at <= now and (call.closes_at is None or now < call.closes_at)
    if inside:
        return _submit(call, route_code, beamlines, pi, team, fields)
    with clock.frozen(call.opens_at + dt.timedelta(hours=1)):
        return _submit(call, route_code, beamlines, pi, team, fields)


def _submit(
    call: Call,
    route_code: str | None,
    beamlines: Mapping[str, int] | None,
    pi: User | None,
    team: Iterable[TeamEntry] | None,
    fields: Mapping[str, Any],
) -> Proposal:
    pi = pi or UserFactory()
    routes = call.routes.order_by("order")
    route = routes.get(code=route_code) if route_code else routes.first()
    assert route is not None, "the call accepts no route"
    proposal = services.proposal_create(call=call, route=route, actor=pi)
    content: dict[str, Any] = {
        "title": f"放射光による構造解析 {proposal.pk}",
        "abstract": "オペランド測定で構造変化を調べる。",
        "purpose": "触媒設計の指針を得る。",
        "field": research_field(),
        "samples": "粉末試料",
        "keywords": ["XAFS"],
    }
    if call.kind == Call.Kind.ANYTIME:
        content["earliest_start"] = clock.today() + dt.timedelta(
            days=(route.lead_time_days or 0) + 7
        )
    content.update(fields)
    services.proposal_update(proposal=proposal, actor=pi, data=content)
    for entry in team if team is not None else [UserFactory()]:
        person, options = entry if isinstance(entry, tuple) else (entry, {})
        services.team_member_add(proposal=proposal, actor=pi, email=person.email, **options)
    offered = {
        cb.beamline.code: cb.beamline for cb in call.offered_beamlines.select_related("beamline")
    }
    if beamlines is None:
        beamlines = {sorted(offered)[0]: unit_rule(call).minimum * 2}
    for code, units in beamlines.items():
        services.beamline_request_save(
            proposal=proposal, actor=pi, beamline=offered[code], end_station=None, units=units
        )
    return services.proposal_submit(proposal=proposal, actor=pi)


def bulk_proposals(
    call: Call,
    count: int,
    *,
    status: str = Proposal.Status.SUBMITTED,
    person: User | None = None,
    units: int | None = None,
) -> list[Proposal]:
    """``count`` proposals in ``call`` with bulk_create (a handful of queries): each has a PI
    (``person``, or one shared new user), a number, and a request on the first offered
    beamline. For query-count tests with 1,000 rows."""
    pi = person or UserFactory()
    route = call.routes.order_by("order").first()
    offered = call.offered_beamlines.select_related("beamline").order_by("beamline__code").first()
    assert route is not None and offered is not None
    start = Proposal.objects.filter(call=call).count()
    numbered = status != Proposal.Status.DRAFT
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                call=call,
                route=route,
                status=status,
                number=f"{call.code}{start + i + 1:04d}" if numbered else None,
                title=f"Proposal {start + i + 1}",
                abstract="Abstract",
                purpose="Purpose",
                samples="Samples",
                created_by=pi,
                submitted_at=clock.now() if numbered else None,
            )
            for i in range(count)
        ]
    )
    TeamMember.objects.bulk_create(
        [TeamMember(proposal=p, person=pi, role=TeamMember.Role.PI) for p in proposals]
    )
    BeamlineRequest.objects.bulk_create(
        [
            BeamlineRequest(
                proposal=p,
                beamline=offered.beamline,
                units_requested=units or unit_rule(call).minimum,
            )
            for p in proposals
        ]
    )
    return proposals

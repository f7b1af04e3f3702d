"""Reads of programme policies. Every later issue reads policy values through these functions
(fees, deadlines, booking rounds, caps, request granularity ...), never from constants in code:
a facility changes a rule by loading a new pack version, and the code follows on its
``effective_from`` date.

Typical use::

    policy = policy_in_force("spring8")            # the PolicyVersion in force today
    policy.pack.obligations.experiment_report_months   # -> 2 (typed: schema.Pack)
    fee("spring8", "proprietary").amount             # -> Decimal("480000")

Policies are public information (the programme guide shows them to everyone), so these reads
need no viewer scoping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from akari.core import clock
from akari.policies.models import FeeRule, PolicyVersion, Programme


class NoPolicyInForce(LookupError):
    """No version of the programme is in force on the date asked for (or no such programme)."""


def in_force(on: dt.date, prefix: str = "") -> Q:
    """Versions whose period covers ``on`` (``effective_until`` is the last day, inclusive)."""
    return Q(**{f"{prefix}effective_from__lte": on}) & (
        Q(**{f"{prefix}effective_until__isnull": True}) | Q(**{f"{prefix}effective_until__gte": on})
    )


def programmes() -> QuerySet[Programme]:
    """Every programme with its facility, in guide order."""
    return Programme.objects.select_related("facility").order_by("order", "code")


def programmes_with_policy(
    *, on: dt.date | None = None, details: bool = False
) -> QuerySet[Programme]:
    """Programmes with ``versions_in_force`` prefetched (newest first: the first one is the
    version in force, as a later version supersedes an earlier one from its date). With
    ``details``, that version's routes and fees are prefetched too."""
    day = on or clock.today()
    versions = PolicyVersion.objects.filter(in_force(day)).order_by("-effective_from")
    lookups: list[str | Prefetch] = [Prefetch("versions", versions, to_attr="versions_in_force")]
    if details:
        lookups += [
            "versions_in_force__routes",
            Prefetch("versions_in_force__fees", FeeRule.objects.select_related("route")),
        ]
    return programmes().prefetch_related(*lookups)


def current_version(programme: Programme) -> PolicyVersion | None:
    """The version in force, from a programme fetched by :func:`programmes_with_policy`."""
    versions: list[PolicyVersion] = getattr(programme, "versions_in_force", [])
    return versions[0] if versions else None


def policy_in_force(programme_code: str, *, on: dt.date | None = None) -> PolicyVersion:
    """The :class:`PolicyVersion` of ``programme_code`` in force on ``on`` (default: today).

    Its ``.pack`` is the typed policy (:class:`akari.policies.schema.Pack`). Raises
    :class:`NoPolicyInForce` when none is.
    """
    day = on or clock.today()
    version = (
        PolicyVersion.objects.select_related("programme", "programme__facility")
        .filter(in_force(day), programme__code=programme_code)
        .order_by("-effective_from")
        .first()
    )
    if version is None:
        raise NoPolicyInForce(f'No policy of programme "{programme_code}" is in force on {day}.')
    return version


def policies_in_force(*, on: dt.date | None = None) -> list[PolicyVersion]:
    """The version in force of every programme (guide order), with routes and fees.

    Three queries whatever the number of programmes, routes and fees.
    """
    day = on or clock.today()
    candidates = (
        PolicyVersion.objects.select_related("programme", "programme__facility")
        .filter(in_force(day))
        .order_by("programme__order", "programme__code", "-effective_from")
    )
    chosen: dict[int, PolicyVersion] = {}
    for version in candidates:
        chosen.setdefault(version.programme_id, version)
    versions = list(chosen.values())
    prefetch_related_objects(versions, "routes", "fees")
    return versions


def fee(
    programme_code: str,
    fee_code: str,
    *,
    on: dt.date | None = None,
    joining_fiscal_year: int | None = None,
) -> FeeRule:
    """The fee rule ``fee_code`` of the policy in force on ``on``.

    A rate that depends on the member's joining year (coalition usage) needs
    ``joining_fiscal_year``: the rate of the latest listed year not after it applies (a member who
    joined before the first listed year pays the first listed rate).
    """
    version = policy_in_force(programme_code, on=on)
    rules = list(version.fees.filter(code=fee_code).order_by("joining_fiscal_year"))
    if not rules:
        raise NoPolicyInForce(
            f'Programme "{programme_code}" {version.version} has no fee "{fee_code}".'
        )
    by_year = [(r.joining_fiscal_year, r) for r in rules if r.joining_fiscal_year is not None]
    if not by_year:
        return rules[0]
    if joining_fiscal_year is None:
        raise ValueError(f'Fee "{fee_code}" depends on the joining fiscal year; pass it.')
    earlier = [rule for year, rule in by_year if year <= joining_fiscal_year]
    return earlier[-1] if earlier else by_year[0][1]


@dataclass(frozen=True)
class ProgrammePage:
    programme: Programme
    version: PolicyVersion | None
    versions: list[PolicyVersion]


def programme_page(code: str, *, on: dt.date | None = None) -> ProgrammePage | None:
    """A programme, its version in force (routes, fees prefetched) and all its versions."""
    day = on or clock.today()
    programme = programmes().prefetch_related("beamlines").filter(code=code).first()
    if programme is None:
        return None
    versions = list(programme.versions.order_by("-effective_from"))
    current = next(
        (
            v
            for v in versions
            if v.effective_from <= day and (v.effective_until is None or v.effective_until >= day)
        ),
        None,
    )
    if current is not None:
        prefetch_related_objects([current], "routes", "fees")
    return ProgrammePage(programme, current, versions)

"""Calls for proposals: create (dates pre-filled from the policy), change, open, close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from akari.core import audit, clock
from akari.core.workflow import transition
from akari.facility.models import Beamline
from akari.policies.models import AccessRoute, Programme
from akari.policies.selectors import NoPolicyInForce, policy_in_force
from akari.proposals.models import Call, CallBeamline, Proposal
from akari.proposals.timeline import default_timeline

CALL_DATE_FIELDS = (
    "opens_at",
    "closes_at",
    "technical_review_due",
    "peer_review_due",
    "committee_date",
    "notification_date",
)
CALL_EDITABLE_FIELDS = (
    "title_ja",
    "title_en",
    "period_start",
    "period_end",
    *CALL_DATE_FIELDS,
)


def routes_for(call: Call) -> list[AccessRoute]:
    """The routes a call of this kind accepts by default: the programme's routes applied for
    by call (periodic calls) or any time (the anytime intake)."""
    application = (
        AccessRoute.Application.ANYTIME
        if call.kind == Call.Kind.ANYTIME
        else AccessRoute.Application.CALL
    )
    return list(call.policy_version.routes.filter(application=application))


def _check_code(code: str, *, exclude: int | None = None) -> None:
    clash = Call.objects.filter(code=code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError(
            {"code": _("Another call already uses the code %(code)s.") % {"code": code}}
        )


def _check_beamlines(call: Call, beamlines: Mapping[Beamline, int]) -> None:
    offered = set(call.programme.beamlines.values_list("pk", flat=True))
    for beamline, units in beamlines.items():
        if beamline.pk not in offered:
            raise ValidationError(
                _("%(beamline)s is not a beamline of this programme.") % {"beamline": beamline.code}
            )
        if units < 1:
            raise ValidationError(
                _("%(beamline)s: the beamtime available must be at least 1.")
                % {"beamline": beamline.code}
            )


@transaction.atomic
def call_create(
    *,
    programme: Programme,
    code: str,
    kind: str = Call.Kind.PERIODIC,
    title_ja: str,
    title_en: str,
    period_start: dt.date,
    period_end: dt.date,
    beamlines: Mapping[Beamline, int],
    actor: Any,
    **dates: Any,
) -> Call:
    """A new call (in preparation) under the policy version in force today.

    Dates not given are pre-filled from the policy (:mod:`akari.proposals.timeline`); the
    anytime intake has no deadline or review dates. ``opens_at`` defaults to now. Routes: the
    programme's routes for the kind of call (:func:`routes_for`).
    """
    unknown = set(dates) - set(CALL_DATE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown call dates: {sorted(unknown)}")
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    _check_code(code)
    try:
        version = policy_in_force(programme.code)
    except NoPolicyInForce as exc:
        raise ValidationError(
            _("No policy of %(programme)s is in force today.") % {"programme": programme}
        ) from exc
    timeline = default_timeline(version.pack, period_start) if kind == Call.Kind.PERIODIC else None
    defaults: dict[str, Any] = {"opens_at": clock.now()}
    if timeline is not None:
        defaults |= {
            "closes_at": timeline.closes_at,
            "technical_review_due": timeline.technical_review_due,
            "peer_review_due": timeline.peer_review_due,
            "committee_date": timeline.committee_date,
            "notification_date": timeline.notification_date,
        }
    defaults |= {name: value for name, value in dates.items() if value is not None}
    _check_window(defaults.get("opens_at"), defaults.get("closes_at"))
    call = Call(
        programme=programme,
        policy_version=version,
        code=code,
        kind=kind,
        title_ja=title_ja,
        title_en=title_en,
        period_start=period_start,
        period_end=period_end,
        **defaults,
    )
    _check_beamlines(call, beamlines)
    call.save()
    call.routes.set(routes_for(call))
    CallBeamline.objects.bulk_create(
        [CallBeamline(call=call, beamline=b, units_available=u) for b, u in beamlines.items()]
    )
    audit.record(actor=actor, action="call.created", obj=call, code=code)
    return call


def _check_window(opens_at: dt.datetime | None, closes_at: dt.datetime | None) -> None:
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The deadline must come after the opening.")})


@transaction.atomic
def call_update(*, call: Call, actor: Any, **changes: Any) -> Call:
    """Change a call's titles, period or dates (any status: staff may move a deadline)."""
    unknown = set(changes) - set(CALL_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    locked = Call.objects.select_for_update().get(pk=call.pk)
    for name, value in changes.items():
        setattr(locked, name, value)
    if locked.period_end < locked.period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    _check_window(locked.opens_at, locked.closes_at)
    locked.save(update_fields=list(changes))
    audit.record(actor=actor, action="call.changed", obj=locked, fields=sorted(changes))
    return locked


@transaction.atomic
def call_set_beamlines(*, call: Call, beamlines: Mapping[Beamline, int], actor: Any) -> Call:
    """Set the beamlines offered and the beamtime available on each (replaces the offer).

    A beamline some proposal of the call already requests cannot be withdrawn from the offer.
    """
    locked = Call.objects.select_for_update().get(pk=call.pk)
    _check_beamlines(locked, beamlines)
    wanted = {b.pk: units for b, units in beamlines.items()}
    requested = set(
        Proposal.objects.filter(call=locked)
        .exclude(status__in=[Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN])
        .values_list("beamline_requests__beamline", flat=True)
    ) - {None}
    dropped = requested - set(wanted)
    if dropped:
        codes = ", ".join(
            sorted(Beamline.objects.filter(pk__in=dropped).values_list("code", flat=True))
        )
        raise ValidationError(
            _("Submitted proposals request %(beamlines)s: keep it in the offer.")
            % {"beamlines": codes}
        )
    CallBeamline.objects.filter(call=locked).exclude(beamline__in=list(wanted)).delete()
    for beamline_id, units in wanted.items():
        CallBeamline.objects.update_or_create(
            call=locked, beamline_id=beamline_id, defaults={"units_available": units}
        )
    audit.record(
        actor=actor,
        action="call.beamlines_changed",
        obj=locked,
        beamlines={str(k): v for k, v in wanted.items()},
    )
    return locked


@transaction.atomic
def call_open(*, call: Call, actor: Any) -> Call:
    """Open a call for submissions (from preparation, or re-open a closed call)."""
    if not call.offered_beamlines.exists():
        raise ValidationError(_("Offer at least one beamline before opening the call."))
    if not call.routes.exists():
        raise ValidationError(_("The call accepts no access route."))
    return transition(call, Call.Status.OPEN, actor=actor)


@transaction.atomic
def call_close(*, call: Call, actor: Any) -> Call:
    """Close a call: no more submissions; every submitted proposal goes to technical review."""
    closed = transition(call, Call.Status.CLOSED, actor=actor)
    for proposal in Proposal.objects.filter(call=call, status=Proposal.Status.SUBMITTED):
        transition(proposal, Proposal.Status.TECHNICAL_REVIEW, actor=actor, reason="call closed")
    return closed


@transaction.atomic
def call_decide(*, call: Call, actor: Any) -> Call:
    """Mark a closed call decided (the selection app calls this when letters are out)."""
    return transition(call, Call.Status.DECIDED, actor=actor)

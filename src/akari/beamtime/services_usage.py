"""Writes of usage records: what an experiment actually used (see :class:`UsageRecord`).

A beamline scientist or the user office records the usage after the experiment (and may confirm
it at once); a coalition member may record and submit it, and staff confirm. A confirmed record
is final: it is the single source of charges (billing) and of the coalition ledger's usage
entries. Who may call which function is decided by the caller's permissions module.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from akari.beamtime.models import ConsumableUse, Experiment, UsageRecord
from akari.core import audit, clock
from akari.core.workflow import transition


def _known_items(experiment: Experiment) -> set[str]:
    """Codes a usage record of this experiment may list: the consumables price list and the
    metered fees of the programme's policy in force on the day of use."""
    from akari.policies.selectors import NoPolicyInForce, policy_in_force

    try:
        pack = policy_in_force(
            experiment.programme, on=timezone.localtime(experiment.start).date()
        ).pack
    except NoPolicyInForce:
        return set()
    return {item.code for item in pack.invoicing.consumables} | set(pack.invoicing.metered_fees)


def _clean_quantities(experiment: Experiment, items: Mapping[str, Any]) -> dict[str, Decimal]:
    known = _known_items(experiment)
    cleaned: dict[str, Decimal] = {}
    for code, raw in items.items():
        try:
            quantity = Decimal(str(raw))
        except InvalidOperation as exc:
            raise ValidationError(_("Quantities must be numbers.")) from exc
        if quantity == 0:
            continue
        if quantity < 0:
            raise ValidationError(_("Quantities cannot be negative."))
        if code not in known:
            raise ValidationError(
                _("“%(code)s” is not in the programme's price list.") % {"code": code}
            )
        cleaned[code] = quantity
    return cleaned


@transaction.atomic
def usage_record(
    *,
    experiment: Experiment,
    actor: Any,
    actual_start: datetime,
    actual_end: datetime,
    downtime_minutes: int = 0,
    consumables: Mapping[str, Any] | None = None,
    notes: str = "",
) -> UsageRecord:
    """Record (or correct) the usage of an experiment. Refused once confirmed."""
    if experiment.status == Experiment.Status.CANCELLED:
        raise ValidationError(_("A cancelled experiment has no usage."))
    if timezone.is_naive(actual_start) or timezone.is_naive(actual_end):
        raise ValidationError(_("Start and end must carry a time zone."))
    if actual_end <= actual_start:
        raise ValidationError(_("The end must be after the start."))
    minutes = int((actual_end - actual_start).total_seconds() // 60)
    if downtime_minutes < 0 or downtime_minutes > minutes:
        raise ValidationError(_("Downtime must be between zero and the time used."))
    quantities = _clean_quantities(experiment, consumables or {})
    usage = UsageRecord.objects.select_for_update().filter(experiment=experiment).first()
    if usage is not None and usage.status == UsageRecord.Status.CONFIRMED:
        raise ValidationError(_("This usage record is confirmed and can no longer change."))
    if usage is None:
        usage = UsageRecord(experiment=experiment, recorded_by=actor)
    usage.actual_start, usage.actual_end = actual_start, actual_end
    usage.downtime_minutes = downtime_minutes
    usage.notes = notes
    usage.recorded_by = actor
    usage.save()
    usage.consumables.all().delete()
    ConsumableUse.objects.bulk_create(
        ConsumableUse(usage=usage, item_code=code, quantity=quantity)
        for code, quantity in sorted(quantities.items())
    )
    audit.record(
        actor=actor,
        action="beamtime.usage_recorded",
        obj=usage,
        downtime_minutes=downtime_minutes,
        items={code: str(q) for code, q in quantities.items()},
    )
    return usage


@transaction.atomic
def usage_submit(*, usage: UsageRecord, actor: Any) -> UsageRecord:
    """A member hands the record to staff for confirmation."""
    return transition(usage, UsageRecord.Status.SUBMITTED, actor=actor)


@transaction.atomic
def usage_return(*, usage: UsageRecord, actor: Any, reason: str) -> UsageRecord:
    """Staff send a submitted record back to the member for correction."""
    return transition(usage, UsageRecord.Status.DRAFT, actor=actor, reason=reason)


@transaction.atomic
def usage_confirm(*, usage: UsageRecord, actor: Any) -> UsageRecord:
    """Staff confirm the record: from now on it is final and billable."""
    confirmed = transition(
        usage,
        UsageRecord.Status.CONFIRMED,
        actor=actor,
        extra_updates={"confirmed_by": actor, "confirmed_at": clock.now()},
    )
    audit.record(actor=actor, action="beamtime.usage_confirmed", obj=confirmed)
    return confirmed

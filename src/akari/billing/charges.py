"""Charges: priced lines derived from confirmed usage records and from coalition joinings.

Idempotent by construction: a charge's ``key`` is unique (``usage:<usage id>:<fee code>`` or
``joining:<membership id>``), and ``(usage, fee_code)`` is unique too, so deriving twice, or
from two processes at once, never bills anything twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from akari.accounts.models import Organisation
from akari.beamtime.models import Experiment, UsageRecord
from akari.billing import rates
from akari.billing.models import Charge, ChargedUsage
from akari.core import audit, clock
from akari.policies.schema import Pack
from akari.policies.selectors import policy_in_force


@dataclass(frozen=True)
class Customer:
    organisation: Organisation
    joining_fiscal_year: int | None


def _membership_for(experiment: Experiment) -> Any | None:
    """The coalition membership an experiment is billed to: its booking's membership, else the
    membership of its organisation or of the group its organisation belongs to."""
    from akari.coalition.models import Membership

    booking = getattr(experiment, "coalition_booking", None)
    if booking is not None:
        return booking.membership
    org = experiment.organisation
    if org is None:
        return None
    candidates = [org.pk] + ([org.member_of_id] if org.member_of_id else [])
    found = {m.organisation_id: m for m in Membership.objects.filter(organisation__in=candidates)}
    if org.pk in found:
        return found[org.pk]
    return found.get(org.member_of_id) if org.member_of_id else None


def customer_for(experiment: Experiment) -> Customer:
    """Who pays for an experiment. Members of a coalition group are billed to the group."""
    membership = _membership_for(experiment)
    if membership is not None:
        return Customer(membership.organisation, membership.joining_fiscal_year)
    if experiment.organisation is not None:
        return Customer(experiment.organisation, None)
    affiliation = experiment.lead.affiliations.filter(is_primary=True).first()
    if affiliation is None:
        raise ValidationError(
            _("Experiment %(ref)s has no organisation to invoice.") % {"ref": experiment.reference}
        )
    return Customer(affiliation.organisation, None)


def day_of_use(experiment: Experiment) -> Any:
    return timezone.localtime(experiment.start).date()


def facts_for(usage: UsageRecord, joining_fiscal_year: int | None) -> rates.UsageFacts:
    return rates.UsageFacts(
        route=usage.experiment.route,
        used_minutes=usage.used_minutes,
        downtime_minutes=usage.downtime_minutes,
        quantities={c.item_code: c.quantity for c in usage.consumables.all()},
        joining_fiscal_year=joining_fiscal_year,
    )


def _describe(line: rates.ChargeLine, experiment: Experiment) -> tuple[str, str]:
    ref = experiment.reference
    beamline = experiment.beamline.code
    return (
        f"{line.label_ja}（{ref} {beamline}）"[:300],
        f"{line.label_en} ({ref} {beamline})"[:300],
    )


@transaction.atomic
def charges_for_usage(*, usage: UsageRecord, actor: Any | None) -> list[Charge]:
    """The charges of one confirmed usage record at the rates in force on the day of use
    (created once; later calls return the existing rows)."""
    if usage.status != UsageRecord.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed usage record can be charged."))
    if ChargedUsage.objects.filter(usage=usage).exists():
        return list(Charge.objects.filter(usage=usage))
    experiment = usage.experiment
    customer = customer_for(experiment)
    day = day_of_use(experiment)
    pack = policy_in_force(experiment.programme, on=day).pack
    try:
        lines = rates.charge_lines(pack, facts_for(usage, customer.joining_fiscal_year))
    except rates.RateError as exc:
        raise ValidationError(str(exc), code="rate") from exc
    made = []
    for line in lines:
        ja, en = _describe(line, experiment)
        charge, _created = Charge.objects.get_or_create(
            key=f"usage:{usage.pk}:{line.code}",
            defaults={
                "kind": Charge.Kind.USAGE,
                "usage": usage,
                "customer": customer.organisation,
                "programme": experiment.programme,
                "route": experiment.route,
                "proprietary": experiment.proprietary,
                "fee_code": line.code,
                "reference": experiment.reference,
                "description_ja": ja,
                "description_en": en,
                "transaction_date": day,
                "quantity": line.quantity,
                "unit_ja": line.unit_ja,
                "unit_en": line.unit_en,
                "unit_price": line.unit_price,
                "amount": line.amount,
                "tax_rate": line.tax_rate,
                "tax_included": line.tax_included,
            },
        )
        made.append(charge)
    ChargedUsage.objects.get_or_create(usage=usage, defaults={"charged_at": clock.now()})
    audit.record(
        actor=actor,
        action="billing.charges_derived",
        obj=usage,
        total=str(sum((c.amount for c in made), Decimal(0))),
        count=len(made),
    )
    return made


@transaction.atomic
def joining_charge(
    *,
    organisation: Organisation,
    units: int,
    joined_on: Any,
    key: str,
    programme: str,
    actor: Any | None,
) -> Charge:
    """The joining fee of a coalition member (once per ``key``, e.g. ``joining:<membership>``).
    Coalition calls this on joining, or the billing run does it for memberships it finds."""
    pack: Pack = policy_in_force(programme, on=joined_on).pack
    try:
        line = rates.joining_fee_line(pack, units=units)
    except rates.RateError as exc:
        raise ValidationError(str(exc), code="rate") from exc
    charge, created = Charge.objects.get_or_create(
        key=key,
        defaults={
            "kind": Charge.Kind.JOINING,
            "customer": organisation,
            "programme": programme,
            "fee_code": line.code,
            "proprietary": True,
            "description_ja": f"{line.label_ja}（{units}口）",
            "description_en": f"{line.label_en} ({units} unit{'s' if units != 1 else ''})",
            "transaction_date": joined_on,
            "quantity": line.quantity,
            "unit_ja": line.unit_ja,
            "unit_en": line.unit_en,
            "unit_price": line.unit_price,
            "amount": line.amount,
            "tax_rate": line.tax_rate,
            "tax_included": line.tax_included,
        },
    )
    if created:
        audit.record(actor=actor, action="billing.joining_charged", obj=charge, units=units)
    return charge

"""Service orders from request to invoice.

request → quoted (staff price it from the rate card; a free service is accepted at once) →
accepted (requester) → samples shipped (requester, tracking number) → received → measured →
data delivered (link + SHA-256) → samples returned or disposed of → invoiced (billing lines) or
closed (nothing to charge). Orders without samples (data analysis) skip shipping and sample
return. Every step tells the requester; new and accepted orders tell the service staff.

Invoicing: billing has no service-order charge source, so :func:`order_invoice` writes the
quote's lines as billing ``Charge`` rows (kind "usage", no usage record, key
``service-order:<order>:<fee>``, unique) and puts them at once on a draft invoice with run key
``service-order:<order>:incl|excl`` through billing's own services; finance issues it as any
other draft. The billing run never sees these charges (they are already on an invoice line).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from akari.accounts.models import Organisation, User
from akari.accounts.roles import Role
from akari.billing import services as billing
from akari.billing.models import Charge
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.facility.models import Beamline, Facility
from akari.notifications.services import notify
from akari.proposals.models import Hazard
from akari.services import permissions
from akari.services.models import OrderQuoteLine, OrderSample, ServiceOrder
from akari.services.services import pricing

SHA256 = re.compile(r"^[0-9a-f]{64}$")
Status = ServiceOrder.Status


def _link(order: ServiceOrder) -> str:
    return reverse("services:order", args=[order.pk])


def _tell_requester(order: ServiceOrder, *, actor: Any | None) -> None:
    notify(
        recipient=order.requester,
        kind="services.order_status",
        context={
            "reference": order.reference,
            "status": str(order.status),
            "kind": str(order.kind),
            "total": str(order.quote_total),
            "tracking_number": order.tracking_number,
            "data_url": order.data_url,
            "data_sha256": order.data_sha256,
        },
        dedupe_key=f"services.order_status:{order.pk}:{order.status}",
        link=_link(order),
        actor=actor if isinstance(actor, User) else None,
    )


def _tell_staff(order: ServiceOrder, event: str) -> None:
    people = (
        [order.handled_by]
        if order.handled_by is not None
        else list(
            User.objects.filter(is_active=True, groups__name=str(Role.USER_OFFICE)).distinct()
        )
    )
    for person in people:
        notify(
            recipient=person,
            kind="services.order_staff",
            context={"reference": order.reference, "event": event, "status": str(order.status)},
            dedupe_key=f"services.order_staff:{order.pk}:{event}",
            link=_link(order),
        )


def _require_staff(actor: Any) -> None:
    if not permissions.is_order_staff(actor):
        raise ValidationError(_("Only service staff can do this."))


def _require_requester(actor: Any, order: ServiceOrder) -> None:
    if not permissions.is_order_requester(actor, order):
        raise ValidationError(_("Only the requester can do this."))


def _move(
    order: ServiceOrder,
    to: str,
    *,
    actor: Any,
    reason: str = "",
    extra: Mapping[str, Any] | None = None,
) -> ServiceOrder:
    result = transition(order, to, actor=actor, reason=reason, extra_updates=extra)
    audit.record(actor=actor, action=f"services.order_{to}", obj=result)
    _tell_requester(result, actor=actor)
    return result


# --- Request ----------------------------------------------------------------------------------


def _check_samples(samples: Sequence[Mapping[str, Any]]) -> list[OrderSample]:
    made = []
    for sample in samples:
        hazards = list(sample.get("hazards") or [])
        unknown = set(hazards) - set(Hazard.values)
        if unknown:
            raise ValidationError(_("Unknown hazard: %(codes)s") % {"codes": ", ".join(unknown)})
        if hazards and not str(sample.get("hazards_details", "")).strip():
            raise ValidationError(
                {"samples": _("Describe the hazards of “%(name)s”.") % {"name": sample["name"]}}
            )
        made.append(
            OrderSample(
                name=str(sample["name"]).strip()[:200],
                composition=str(sample.get("composition", "")).strip()[:300],
                quantity=int(sample.get("quantity") or 1),
                hazards=hazards,
                hazards_details=str(sample.get("hazards_details", "")).strip()[:500],
            )
        )
    return made


@transaction.atomic
def order_request(
    *,
    facility: Facility,
    kind: str,
    organisation: Organisation,
    programme: str,
    technique: str,
    description: str,
    actor: User,
    beamline: Beamline | None = None,
    experiment: Any | None = None,
    measurements: int = 1,
    deadline: dt.date | None = None,
    samples: Sequence[Mapping[str, Any]] = (),
) -> ServiceOrder:
    if kind not in ServiceOrder.Kind.values:
        raise ValidationError({"kind": _("Choose a service.")})
    if not actor.affiliations.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("You can order only for an organisation you belong to.")}
        )
    if programme not in pricing.programmes_for(kind, facility.code, clock.today()):
        raise ValidationError(
            {"programme": _("This service is not offered under that programme at this facility.")}
        )
    if beamline is not None and beamline.facility_id != facility.pk:
        raise ValidationError({"beamline": _("The beamline belongs to another facility.")})
    if deadline is not None and deadline < clock.today():
        raise ValidationError({"deadline": _("The deadline is in the past.")})
    if measurements < 1:
        raise ValidationError({"measurements": _("At least one measurement.")})
    if experiment is not None and not (
        experiment.lead_id == actor.pk or experiment.participants.filter(pk=actor.pk).exists()
    ):
        raise ValidationError(
            {"experiment": _("You can link only an experiment you took part in.")}
        )
    rows = _check_samples(samples)
    if kind == ServiceOrder.Kind.MEASUREMENT and not rows:
        raise ValidationError({"samples": _("List the samples you will send.")})
    order = ServiceOrder.objects.create(
        facility=facility,
        kind=kind,
        requester=actor,
        organisation=organisation,
        programme=programme,
        route=pricing.offers(kind)[programme].get("route", ""),
        technique=technique.strip()[:200],
        beamline=beamline,
        experiment=experiment,
        measurements=measurements,
        deadline=deadline,
        description=description.strip(),
    )
    for row in rows:
        row.order = order
    OrderSample.objects.bulk_create(rows)
    audit.record(actor=actor, action="services.order_requested", obj=order, kind=kind)
    _tell_requester(order, actor=actor)
    _tell_staff(order, "requested")
    return order


# --- Quote and acceptance ---------------------------------------------------------------------


@transaction.atomic
def order_quote(*, order: ServiceOrder, hours: Decimal, actor: User) -> ServiceOrder:
    """Price the order from the rate card in force today. A free service is accepted at once."""
    _require_staff(actor)
    locked = ServiceOrder.objects.select_for_update().get(pk=order.pk)
    if locked.status != Status.REQUESTED:
        raise ValidationError(_("Only a new request can be quoted."))
    pieces = sum(s.quantity for s in locked.samples.all())
    lines = pricing.quote(
        kind=locked.kind,
        programme=locked.programme,
        organisation=locked.organisation,
        hours=Decimal(hours),
        pieces=pieces,
        on=clock.today(),
    )
    if len({line.tax_included for line in lines}) > 1:
        raise ValidationError(_("The rate card mixes prices with and without tax."))
    OrderQuoteLine.objects.filter(order=locked).delete()
    OrderQuoteLine.objects.bulk_create(
        OrderQuoteLine(
            order=locked,
            code=line.code,
            label_ja=line.label_ja,
            label_en=line.label_en,
            quantity=line.quantity,
            unit_ja=line.unit_ja,
            unit_en=line.unit_en,
            unit_price=line.unit_price,
            amount=line.amount,
            tax_rate=line.tax_rate,
            tax_included=line.tax_included,
        )
        for line in lines
    )
    total = sum((line.amount for line in lines), Decimal(0))
    extra = {
        "quoted_hours": Decimal(hours) if lines else None,
        "quote_total": total,
        "quote_tax_included": lines[0].tax_included if lines else True,
        "quoted_at": clock.now(),
        "handled_by": actor,
    }
    to = Status.ACCEPTED if locked.is_free else Status.QUOTED
    return _move(locked, to, actor=actor, extra=extra)


@transaction.atomic
def order_accept(*, order: ServiceOrder, actor: User) -> ServiceOrder:
    _require_requester(actor, order)
    result = _move(order, Status.ACCEPTED, actor=actor)
    _tell_staff(result, "accepted")
    return result


@transaction.atomic
def order_decline(*, order: ServiceOrder, actor: User, reason: str = "") -> ServiceOrder:
    _require_requester(actor, order)
    return _move(order, Status.DECLINED, actor=actor, reason=reason)


@transaction.atomic
def order_cancel(*, order: ServiceOrder, actor: User, reason: str = "") -> ServiceOrder:
    if not (permissions.is_order_requester(actor, order) or permissions.is_order_staff(actor)):
        raise ValidationError(_("You cannot cancel this order."))
    return _move(order, Status.CANCELLED, actor=actor, reason=reason)


# --- Samples and work -------------------------------------------------------------------------


def _require_samples(order: ServiceOrder, has: bool = True) -> None:
    if order.has_samples != has:
        raise ValidationError(
            _("This order has no samples to ship or return.")
            if has
            else _("Samples must be received before the measurement.")
        )


@transaction.atomic
def order_ship(
    *, order: ServiceOrder, tracking_number: str, actor: User, carrier: str = ""
) -> ServiceOrder:
    _require_requester(actor, order)
    _require_samples(order)
    if not tracking_number.strip():
        raise ValidationError({"tracking_number": _("Give the tracking number.")})
    result = _move(
        order,
        Status.SHIPPED,
        actor=actor,
        extra={"tracking_number": tracking_number.strip()[:60], "carrier": carrier.strip()[:60]},
    )
    _tell_staff(result, "shipped")
    return result


@transaction.atomic
def order_receive(*, order: ServiceOrder, actor: User) -> ServiceOrder:
    _require_staff(actor)
    return _move(order, Status.RECEIVED, actor=actor)


@transaction.atomic
def order_measured(*, order: ServiceOrder, actor: User) -> ServiceOrder:
    _require_staff(actor)
    if order.status == Status.ACCEPTED:
        _require_samples(order, has=False)
    return _move(order, Status.MEASURED, actor=actor)


@transaction.atomic
def order_deliver(*, order: ServiceOrder, data_url: str, sha256: str, actor: User) -> ServiceOrder:
    _require_staff(actor)
    checksum = sha256.strip().lower()
    if not SHA256.match(checksum):
        raise ValidationError({"sha256": _("A SHA-256 checksum is 64 hexadecimal characters.")})
    if not data_url.startswith(("https://", "http://")):
        raise ValidationError({"data_url": _("Give the link to the data.")})
    return _move(
        order,
        Status.DELIVERED,
        actor=actor,
        extra={"data_url": data_url, "data_sha256": checksum, "delivered_at": clock.now()},
    )


@transaction.atomic
def order_samples_done(
    *, order: ServiceOrder, returned: bool, actor: User, tracking_number: str = ""
) -> ServiceOrder:
    _require_staff(actor)
    _require_samples(order)
    if returned:
        return _move(
            order,
            Status.RETURNED,
            actor=actor,
            extra={"return_tracking_number": tracking_number.strip()[:60]},
        )
    return _move(order, Status.DISPOSED, actor=actor)


# --- Invoice ----------------------------------------------------------------------------------


@transaction.atomic
def order_invoice(*, order: ServiceOrder, actor: User) -> ServiceOrder:
    """Bill the quote (a draft invoice finance issues), or close a free order."""
    _require_staff(actor)
    locked = ServiceOrder.objects.select_for_update().get(pk=order.pk)
    if locked.has_samples and locked.status == Status.DELIVERED:
        raise ValidationError(_("Record whether the samples were returned or disposed of first."))
    lines = list(locked.quote_lines.all())
    if not lines or locked.quote_total == 0:
        return _move(locked, Status.CLOSED, actor=actor)
    customer = pricing.customer_of(locked.organisation)
    day = clock.today()
    charges = [
        Charge.objects.create(
            key=f"service-order:{locked.pk}:{line.code}",
            kind=Charge.Kind.USAGE,
            customer=customer,
            programme=locked.programme,
            route=locked.route,
            proprietary=True,
            fee_code=line.code,
            reference=locked.reference,
            description_ja=f"{line.label_ja}（{locked.reference}）"[:300],
            description_en=f"{line.label_en} ({locked.reference})"[:300],
            transaction_date=day,
            quantity=line.quantity,
            unit_ja=line.unit_ja,
            unit_en=line.unit_en,
            unit_price=line.unit_price,
            amount=line.amount,
            tax_rate=line.tax_rate,
            tax_included=line.tax_included,
        )
        for line in lines
    ]
    basis = "incl" if locked.quote_tax_included else "excl"
    invoice = billing.invoice_create(
        customer=customer,
        programme=locked.programme,
        prices_include_tax=locked.quote_tax_included,
        actor=actor,
        run_key=f"service-order:{locked.pk}:{basis}",
        on=day,
    )
    billing.invoice_add_charges(invoice=invoice, charges=charges, actor=actor)
    return _move(locked, Status.INVOICED, actor=actor, extra={"invoice": invoice})

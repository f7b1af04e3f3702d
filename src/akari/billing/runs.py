"""The billing run: charges from confirmed usage and joinings, grouped into draft invoices.

Grouping follows each programme's ``payment.invoiced`` policy:

* ``after_report`` (SPring-8, NanoTerasu shared use): one invoice per experiment, once its usage
  record is confirmed (the post-experiment report fixes the fees);
* ``after_use`` (coalition): one invoice per customer and month of use, for months that have
  ended (a group's members are billed to the group). Usage confirmed after its month's invoice
  was made goes on a follow-up invoice of that month.

Joining fees are invoiced on joining (one invoice per membership); memberships that began before
the programme's first policy version (joined before Akari) are not invoiced.

Idempotent: charges have unique keys, a charge sits on at most one invoice line (unique), and an
invoice's ``run_key`` is unique, so running twice, or two runs at once, bills nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from akari.beamtime.models import UsageRecord
from akari.beamtime.selectors_usage import confirmed_usage_since
from akari.billing import charges as charge_services
from akari.billing import services
from akari.billing.models import BillingRun, Charge, Invoice
from akari.core import audit, clock
from akari.policies.selectors import NoPolicyInForce, policy_in_force


@dataclass
class RunResult:
    charges_created: int = 0
    invoices: list[Invoice] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _derive_usage_charges(result: RunResult, actor: Any | None) -> None:
    pending = confirmed_usage_since().filter(charged__isnull=True)
    for usage in pending.select_related("experiment__lead", "experiment__organisation"):
        try:
            made = charge_services.charges_for_usage(usage=usage, actor=actor)
        except (ValidationError, NoPolicyInForce) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            result.errors.append(f"{usage.experiment.reference}: {message}")
            continue
        result.charges_created += len(made)


def _derive_joining_charges(result: RunResult, actor: Any | None) -> None:
    try:
        from akari.coalition.models import Membership
        from akari.coalition.policy import PROGRAMME
    except ImportError:  # pragma: no cover - coalition not installed
        return
    keys = set(Charge.objects.filter(kind=Charge.Kind.JOINING).values_list("key", flat=True))
    for membership in Membership.objects.select_related("organisation"):
        key = f"joining:{membership.pk}"
        if key in keys:
            continue
        try:
            policy_in_force(PROGRAMME, on=membership.joined_on)
        except NoPolicyInForce:
            continue  # joined before the programme's first policy: paid outside Akari
        try:
            charge_services.joining_charge(
                organisation=membership.organisation,
                units=membership.units,
                joined_on=membership.joined_on,
                key=key,
                programme=PROGRAMME,
                actor=actor,
            )
        except (ValidationError, NoPolicyInForce) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            result.errors.append(f"{membership.organisation}: {message}")
            continue
        result.charges_created += 1


def _invoiced_after(programme: str, day: dt.date) -> str:
    try:
        return policy_in_force(programme, on=day).pack.payment.invoiced
    except NoPolicyInForce:
        return "after_report"


def _group_key(charge: Charge, on: dt.date, policies: dict[tuple[str, dt.date], str]) -> str | None:
    """The run key of the invoice a charge goes on, or None when it is not due yet."""
    if charge.kind == Charge.Kind.JOINING:
        return charge.key
    month = charge.transaction_date.replace(day=1)
    cache_key = (charge.programme, month)
    if cache_key not in policies:
        policies[cache_key] = _invoiced_after(charge.programme, charge.transaction_date)
    if policies[cache_key] == "after_use":
        if month >= on.replace(day=1):
            return None  # the month of use has not ended
        return f"month:{charge.programme}:{charge.customer_id}:{month:%Y-%m}"
    return f"usage:{charge.usage_id}"


def _make_invoices(result: RunResult, on: dt.date, actor: Any | None) -> None:
    policies: dict[tuple[str, dt.date], str] = {}
    groups: dict[tuple[str, bool], list[Charge]] = defaultdict(list)
    pending = Charge.objects.filter(invoice_line__isnull=True).select_related("customer")
    for charge in pending.order_by("transaction_date", "pk"):
        key = _group_key(charge, on, policies)
        if key is not None:
            groups[(key, charge.tax_included)].append(charge)
    for (key, tax_included), members in groups.items():
        run_key = f"{key}:{'incl' if tax_included else 'excl'}"
        if Invoice.objects.filter(run_key=run_key).exists():
            # Charges that arrived after this group's invoice was made: a follow-up invoice.
            run_key = f"{run_key}:late:{members[0].pk}"
            if Invoice.objects.filter(run_key=run_key).exists():
                continue
        try:
            with transaction.atomic():
                invoice = services.invoice_create(
                    customer=members[0].customer,
                    programme=members[0].programme,
                    prices_include_tax=tax_included,
                    actor=actor,
                    run_key=run_key,
                    on=on,
                )
                services.invoice_add_charges(invoice=invoice, charges=members, actor=actor)
        except IntegrityError:
            continue  # a concurrent run made this invoice first
        except (ValidationError, NoPolicyInForce) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            result.errors.append(f"{run_key}: {message}")
            continue
        result.invoices.append(invoice)


def joining_invoice(*, membership: Any, actor: Any | None, issue: bool = False) -> Invoice | None:
    """Invoice a coalition membership's joining fee now (coalition may call this on joining;
    otherwise the next billing run does it). Idempotent: the same charge key and invoice run key
    as the run's, so whichever comes first wins and the other does nothing. Returns the invoice
    it made, or None when there was nothing to do."""
    from akari.coalition.policy import PROGRAMME

    with transaction.atomic():
        charge = charge_services.joining_charge(
            organisation=membership.organisation,
            units=membership.units,
            joined_on=membership.joined_on,
            key=f"joining:{membership.pk}",
            programme=PROGRAMME,
            actor=actor,
        )
        if hasattr(charge, "invoice_line"):
            return None
        run_key = f"{charge.key}:{'incl' if charge.tax_included else 'excl'}"
        invoice = services.invoice_create(
            customer=charge.customer,
            programme=PROGRAMME,
            prices_include_tax=charge.tax_included,
            actor=actor,
            run_key=run_key,
            on=membership.joined_on,
        )
        services.invoice_add_charges(invoice=invoice, charges=[charge], actor=actor)
        if issue:
            invoice = services.invoice_issue(invoice=invoice, actor=actor)
    return invoice


def billing_run(*, actor: Any | None, on: dt.date | None = None, issue: bool = False) -> RunResult:
    """Derive pending charges and put them on draft invoices (issued at once with ``issue``).
    Safe to run any number of times."""
    day = on or clock.today()
    result = RunResult()
    _derive_usage_charges(result, actor)
    _derive_joining_charges(result, actor)
    _make_invoices(result, day, actor)
    if issue:
        for invoice in result.invoices:
            services.invoice_issue(invoice=invoice, actor=actor, on=day)
    run = BillingRun.objects.create(
        started_at=clock.now(),
        on=day,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        charges_created=result.charges_created,
        invoices_created=len(result.invoices),
        errors=result.errors,
    )
    audit.record(
        actor=actor,
        action="billing.run",
        obj=run,
        invoices=len(result.invoices),
        charges=result.charges_created,
        errors=len(result.errors),
    )
    return result


def usage_unbilled() -> int:
    """Confirmed usage records without charges (for the runs page)."""
    return UsageRecord.objects.filter(
        status=UsageRecord.Status.CONFIRMED, charged__isnull=True
    ).count()

"""Demo data of billing: billing contacts of the member companies, three experiments with usage
records (one confirmed and invoiced, one confirmed and waiting as a draft invoice, one waiting for
the beamline scientist's confirmation), and a billing run (which also invoices whatever confirmed
usage and coalition joinings the other demos made)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from akari.accounts.models import Organisation, User
from akari.beamtime import services as beamtime
from akari.beamtime import services_usage
from akari.beamtime.models import Block, Experiment
from akari.billing import services
from akari.billing import usage as usage_services
from akari.billing.models import Invoice
from akari.billing.runs import billing_run
from akari.core.clock import TOKYO
from akari.facility.models import Beamline

# (reference, programme, route, beamline, start, hours, organisation, lead, usage)
EXPERIMENTS: list[tuple[str, str, str, str, dt.datetime, int, str, str, str]] = [
    (
        "DEMO-BILL-1",
        "spring8",
        "proprietary_normal",
        "BL46XU",
        dt.datetime(2026, 10, 6, 10, tzinfo=TOKYO),
        16,
        "Hirose Chemical Industries Ltd.",
        "member-gold@demo.akari.example",
        "issued",
    ),
    (
        "DEMO-BILL-2",
        "nanoterasu-shared",
        "proprietary",
        "BL13U",
        dt.datetime(2026, 10, 20, 10, tzinfo=TOKYO),
        8,
        "Aoba Materials Co. Ltd.",
        "member-admin@demo.akari.example",
        "confirmed",
    ),
    (
        "DEMO-BILL-3",
        "spring8",
        "time_designated",
        "BL46XU",
        dt.datetime(2026, 11, 10, 10, tzinfo=TOKYO),
        8,
        "Izumi Battery Corp.",
        "member-izumi@demo.akari.example",
        "draft",
    ),
]

CONTACTS = {
    "member-gold@demo.akari.example": "Hirose Chemical Industries Ltd.",
    "member-admin@demo.akari.example": "Aoba Materials Co. Ltd.",
    "member-izumi@demo.akari.example": "Izumi Battery Corp.",
    "member-sme@demo.akari.example": "Monozukuri Friendly Bank",
}


def _experiment(row: tuple[Any, ...], people: dict[str, User]) -> Experiment | None:
    reference, programme, route, code, start, hours, org_name, lead_email, _state = row
    existing = Experiment.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    beamline = Beamline.objects.filter(code=code).first()
    organisation = Organisation.objects.filter(name_en=org_name).first()
    lead = people.get(lead_email)
    if beamline is None or organisation is None or lead is None:
        return None
    try:
        block = beamtime.block_occupy(
            beamline=beamline,
            start=start,
            end=start + dt.timedelta(hours=hours),
            kind=Block.Kind.EXPERIMENT,
            actor=None,
            label=reference,
        )
    except ValidationError:
        return None  # the time is taken by another demo
    return beamtime.experiment_create(
        block=block,
        programme=programme,
        route=route,
        reference=reference,
        lead=lead,
        actor=None,
        proprietary=True,
        title="Demo experiment",
        organisation=organisation,
    )


def _usage(experiment: Experiment, state: str, scientist: User | None) -> None:
    if hasattr(experiment, "usage") or scientist is None:
        return
    usage = services_usage.usage_record(
        experiment=experiment,
        actor=scientist,
        actual_start=experiment.start,
        actual_end=experiment.end,
        downtime_minutes=45 if state == "issued" else 0,
        consumables={"liquid_helium": Decimal(10)} if state == "issued" else {},
    )
    if state != "draft":
        usage_services.usage_confirm(usage=usage, actor=scientist)


def demo_billing(people: dict[str, User]) -> None:
    """Idempotent; called by ``load_demo`` after the coalition demo."""
    for email, org_name in CONTACTS.items():
        person = people.get(email)
        organisation = Organisation.objects.filter(name_en=org_name).first()
        if person is not None and organisation is not None:
            services.billing_contact_set(organisation=organisation, person=person, actor=None)
    scientist = people.get("scientist@demo.akari.example")
    finance = people.get("finance@demo.akari.example")
    for row in EXPERIMENTS:
        experiment = _experiment(row, people)
        if experiment is not None:
            _usage(experiment, row[-1], scientist)
    billing_run(actor=finance)
    first = Invoice.objects.filter(
        run_key__startswith="usage:",
        status=Invoice.Status.DRAFT,
        lines__charge__reference="DEMO-BILL-1",
    ).first()
    if first is not None:
        services.invoice_issue(invoice=first, actor=finance)

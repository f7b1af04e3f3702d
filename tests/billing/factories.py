"""Experiments with usage records, billing contacts and invoices for billing tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from akari.accounts.models import Organisation
from akari.accounts.roles import Role
from akari.beamtime import services as beamtime
from akari.beamtime import services_usage as usage_services
from akari.beamtime.models import Block, Experiment, UsageRecord
from akari.billing import services
from akari.billing.models import BillingContact, Invoice
from akari.facility.models import Beamline
from tests.beamtime.factories import at
from tests.factories import AffiliationFactory, OrganisationFactory, UserFactory
from tests.proposals.factories import loaded_packs

BEAMLINES = {"spring8": "BL01B1", "nanoterasu-shared": "BL02U", "nanoterasu-coalition": "BL07U"}


def with_mfa(person: Any) -> Any:
    """Staff roles must have a second factor before they reach any page."""
    TOTP.activate(person, generate_totp_secret())
    return person


def staff() -> Any:
    return with_mfa(UserFactory(roles=[Role.BEAMLINE_SCIENTIST]))


def finance() -> Any:
    return with_mfa(UserFactory(roles=[Role.FINANCE]))


def company(**kwargs: Any) -> Organisation:
    return OrganisationFactory(
        kind=Organisation.Kind.COMPANY, sector=Organisation.Sector.INDUSTRY, **kwargs
    )


def contact_of(organisation: Organisation, **kwargs: Any) -> Any:
    person = UserFactory(**kwargs)
    AffiliationFactory(person=person, organisation=organisation)
    BillingContact.objects.create(person=person, organisation=organisation)
    return person


def experiment(
    *,
    programme: str = "spring8",
    route: str = "proprietary_normal",
    start: dt.datetime | None = None,
    hours: int = 8,
    organisation: Organisation | None = None,
    reference: str = "",
    proprietary: bool = True,
) -> Experiment:
    loaded_packs()
    start = start or at(2026, 6, 1, 10)
    beamline = Beamline.objects.get(code=BEAMLINES[programme])
    block = beamtime.block_occupy(
        beamline=beamline,
        start=start,
        end=start + dt.timedelta(hours=hours),
        kind=Block.Kind.EXPERIMENT,
        actor=None,
    )
    lead = UserFactory()
    return beamtime.experiment_create(
        block=block,
        programme=programme,
        route=route,
        reference=reference or f"E{block.pk:05d}",
        lead=lead,
        actor=None,
        proprietary=proprietary,
        organisation=organisation or company(),
    )


def confirmed_usage(
    exp: Experiment,
    *,
    downtime: int = 0,
    consumables: dict[str, Decimal] | None = None,
    actor: Any | None = None,
) -> UsageRecord:
    actor = actor or staff()
    usage = usage_services.usage_record(
        experiment=exp,
        actor=actor,
        actual_start=exp.start,
        actual_end=exp.end,
        downtime_minutes=downtime,
        consumables=consumables or {},
    )
    return usage_services.usage_confirm(usage=usage, actor=actor)


def draft_invoice(
    customer: Organisation | None = None,
    *,
    amounts: tuple[int, ...] = (480000,),
    programme: str = "spring8",
    included: bool = True,
) -> Invoice:
    loaded_packs()
    invoice = services.invoice_create(
        customer=customer or company(),
        programme=programme,
        prices_include_tax=included,
        actor=None,
        on=dt.date(2026, 6, 1),
    )
    for amount in amounts:
        services.invoice_add_line(
            invoice=invoice,
            actor=None,
            description_ja="利用料",
            description_en="Beamtime fee",
            transaction_date=dt.date(2026, 6, 1),
            quantity=Decimal(1),
            unit_price=Decimal(amount),
        )
    return invoice

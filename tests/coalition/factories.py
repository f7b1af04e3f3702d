"""Coalition test helpers: members with people and entitlement, coalition beamlines, windows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from akari.accounts.models import Organisation
from akari.beamtime.models import BookingWindow
from akari.coalition import services
from akari.coalition.models import MemberPerson, Membership
from akari.core import clock
from akari.facility.models import Beamline
from tests.beamtime.factories import at
from tests.factories import AffiliationFactory, OrganisationFactory, UserFactory
from tests.proposals.factories import loaded_packs

PROGRAMME = "nanoterasu-coalition"


def coalition_beamline(code: str = "BL07U") -> Beamline:
    loaded_packs()
    return Beamline.objects.select_related("facility").get(facility__code="nanoterasu", code=code)


def open_window(
    beamline: Beamline, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> BookingWindow:
    return BookingWindow.objects.create(
        beamline=beamline,
        programme=PROGRAMME,
        start=start or at(2026, 12, 1, 0),
        end=end or at(2027, 1, 1, 0),
    )


def member(
    member_class: str = "gold",
    units: int | None = None,
    *,
    kind: str = Organisation.Kind.COMPANY,
    joined_on: dt.date = dt.date(2026, 4, 1),
    people: int = 1,
    **org: Any,
) -> tuple[Membership, list[Any]]:
    """A member organisation with ``people`` bookers (affiliated, with booking right) and the
    entitlement of the fiscal year granted."""
    loaded_packs()
    units = units or {"platinum": 4, "gold": 2, "special_contract_gold": 2}.get(member_class, 1)
    organisation = OrganisationFactory(kind=kind, sector=Organisation.Sector.INDUSTRY, **org)
    with clock.frozen(at(2026, 4, 1, 9)):
        membership = services.membership_create(
            organisation=organisation,
            member_class=member_class,
            units=units,
            joined_on=joined_on,
            actor=None,
        )
    persons = []
    for _ in range(people):
        person = UserFactory()
        AffiliationFactory(person=person, organisation=organisation)
        MemberPerson.objects.create(membership=membership, person=person, can_book=True)
        persons.append(person)
    return membership, persons

"""Helpers for the support services tests: facilities, staff, companies, consultations, orders."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from akari.accounts.models import Organisation
from akari.accounts.roles import Role
from akari.facility.models import Facility
from akari.services.models import Consultation, ServiceOrder
from akari.services.services import consultations as desk
from akari.services.services import orders
from tests.factories import AffiliationFactory, OrganisationFactory, UserFactory
from tests.proposals.factories import loaded_packs


def facility(code: str = "nanoterasu") -> Facility:
    return loaded_packs()[code]


def with_mfa(person: Any) -> Any:
    TOTP.activate(person, generate_totp_secret())
    return person


def office() -> Any:
    return with_mfa(UserFactory(roles=[Role.USER_OFFICE]))


def scientist() -> Any:
    return with_mfa(UserFactory(roles=[Role.BEAMLINE_SCIENTIST]))


def company_person(**org: Any) -> tuple[Any, Organisation]:
    organisation = OrganisationFactory(
        kind=Organisation.Kind.COMPANY, sector=Organisation.Sector.INDUSTRY, **org
    )
    person = UserFactory()
    AffiliationFactory(person=person, organisation=organisation)
    return person, organisation


def consultation(
    *, topic: str = "first_time", verified: bool = True, requester: Any = None, **kwargs: Any
) -> Consultation:
    made = desk.consultation_open(
        facility=kwargs.pop("facility", None) or facility(),
        topic=topic,
        subject=kwargs.pop("subject", "How do I start?"),
        body=kwargs.pop("body", "We have never used a synchrotron."),
        requester_name=kwargs.pop("requester_name", "Yamada Taro"),
        requester_email=kwargs.pop(
            "requester_email", requester.email if requester else "yamada@example.com"
        ),
        organisation_name=kwargs.pop("organisation_name", "Yamada Kogyo"),
        actor=requester,
        **kwargs,
    )
    if verified and made.verified_at is None:
        made = desk.consultation_verify(token=desk.verification_token(made))
    return made


SAMPLE = {"name": "LiNiO2 powder", "composition": "powder in capillary", "quantity": 2}


def order(
    *,
    kind: str = ServiceOrder.Kind.MEASUREMENT,
    programme: str = "spring8",
    person: Any = None,
    organisation: Organisation | None = None,
    samples: list[dict[str, Any]] | None = None,
    **kwargs: Any,
) -> ServiceOrder:
    if person is None:
        person, organisation = company_person()
    assert organisation is not None
    code = "spring8" if programme == "spring8" else "nanoterasu"
    return orders.order_request(
        facility=facility(code),
        kind=kind,
        organisation=organisation,
        programme=programme,
        technique=kwargs.pop("technique", "XAFS"),
        description=kwargs.pop("description", "Ni K-edge XAFS of two cathode powders."),
        samples=[SAMPLE]
        if samples is None and kind == ServiceOrder.Kind.MEASUREMENT
        else (samples or []),
        actor=person,
        **kwargs,
    )

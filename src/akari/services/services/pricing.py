"""Quotes of service orders from the programmes' rate cards (the policy packs).

Which programme offers which service, and through which route or fee, is data
(``AKARI_SERVICE_OFFERS`` overrides :data:`DEFAULT_OFFERS`), never a facility ``if`` in code:

* measurement (mail-in / measurement service): priced as the route's fees would price
  ``hours`` of beamtime (SPring-8 ``measurement_service``: 720,000 JPY per shift pro rata;
  coalition ``mail_in``: usage per hour at the member's joining-year rate plus the mail-in fee
  per order). A fee per ``order`` counts 1, per ``sample`` the pieces sent; consumables at cost
  are not quoted (they are billed at cost by the facility if used).
* advanced analysis: the pack's analysis fee per hour (coalition ``analysis``).
* basic guidance: free wherever offered.

All arithmetic goes through ``akari.billing.rates`` (whole yen, Decimal).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from akari.accounts.models import Organisation
from akari.billing import rates
from akari.core.money import multiply
from akari.policies.schema import Pack
from akari.policies.selectors import NoPolicyInForce, policy_in_force

DEFAULT_OFFERS: dict[str, dict[str, dict[str, str]]] = {
    "measurement": {
        "spring8": {"route": "measurement_service"},
        "nanoterasu-coalition": {"route": "mail_in"},
    },
    "analysis_advanced": {"nanoterasu-coalition": {"fee": "analysis"}},
    "analysis_basic": {
        "spring8": {},
        "nanoterasu-shared": {},
        "nanoterasu-coalition": {},
    },
}


def offers(kind: str) -> dict[str, dict[str, str]]:
    table = {**DEFAULT_OFFERS, **getattr(settings, "AKARI_SERVICE_OFFERS", {})}
    return dict(table.get(kind, {}))


def programmes_for(kind: str, facility_code: str, on: dt.date) -> list[str]:
    """The programmes of ``facility_code`` that offer ``kind`` on ``on`` (in pack order)."""
    found = []
    for code in offers(kind):
        try:
            pack = policy_in_force(code, on=on).pack
        except NoPolicyInForce:
            continue
        if pack.facility == facility_code:
            found.append((pack.order, code))
    return [code for _order, code in sorted(found)]


def membership_of(organisation: Organisation) -> Any | None:
    """The coalition membership an organisation uses: its own, else its group's."""
    from akari.coalition.models import Membership

    candidates = [organisation.pk] + (
        [organisation.member_of_id] if organisation.member_of_id else []
    )
    found = {m.organisation_id: m for m in Membership.objects.filter(organisation__in=candidates)}
    return found.get(organisation.pk) or found.get(organisation.member_of_id or -1)


def customer_of(organisation: Organisation) -> Organisation:
    membership = membership_of(organisation)
    return membership.organisation if membership is not None else organisation


def _joining_year(pack: Pack, fees: list[str], organisation: Organisation) -> int | None:
    if not any(pack.fee(code).by_joining_year for code in fees):
        return None
    membership = membership_of(organisation)
    if membership is None:
        raise ValidationError(
            _("%(programme)s offers this service to coalition members only.")
            % {"programme": pack.programme.en},
            code="members_only",
        )
    return int(membership.joining_fiscal_year)


def _hour_line(pack: Pack, code: str, hours: Decimal, joining: int | None) -> rates.ChargeLine:
    fee = pack.fee(code)
    price = rates.unit_price(fee, joining, pack)
    return rates.ChargeLine(
        code=fee.code,
        label_ja=fee.label.ja,
        label_en=fee.label.en,
        unit_ja="時間",
        unit_en="hour",
        quantity=hours.quantize(Decimal("0.001")),
        unit_price=price,
        amount=multiply(price, hours),
        tax_included=fee.tax_included,
        tax_rate=pack.tax.rate,
    )


def quote(
    *,
    kind: str,
    programme: str,
    organisation: Organisation,
    hours: Decimal,
    pieces: int,
    on: dt.date,
) -> list[rates.ChargeLine]:
    """The priced lines of an order (empty for a free service)."""
    offer = offers(kind).get(programme)
    if offer is None:
        raise ValidationError(_("This programme does not offer this service."), code="offer")
    if kind == "analysis_basic":
        return []
    if hours <= 0:
        raise ValidationError({"hours": _("Give the estimated hours.")})
    pack = policy_in_force(programme, on=on).pack
    try:
        if "route" in offer:
            route = pack.route(offer["route"])
            joining = _joining_year(pack, list(route.fees), organisation)
            quantities: dict[str, Decimal] = {}
            for code in route.fees:
                unit = pack.fee(code).unit
                if unit == "order":
                    quantities[code] = Decimal(1)
                elif unit == "sample":
                    quantities[code] = Decimal(max(pieces, 1))
            return rates.estimate(
                pack,
                route=route.code,
                hours=hours,
                joining_fiscal_year=joining,
                quantities=quantities,
            ).lines
        joining = _joining_year(pack, [offer["fee"]], organisation)
        return [_hour_line(pack, offer["fee"], hours, joining)]
    except (rates.RateError, KeyError) as error:
        raise ValidationError(str(error), code="rate") from error

"""The shape of a programme policy pack (``packs/*.yaml``), as pydantic v2 models.

A pack is the whole rulebook of one access programme for one period: time unit, access routes,
fees, calls, review timeline, booking rounds, member classes, entitlement, deadlines, caps,
request granularity, downtime refunds, beamlines offered and the guide texts. The loader
(:mod:`akari.policies.packs`) validates a file against :class:`Pack`, then runs
:func:`cross_check` for the references between parts of the pack and to the facility catalogue.

Later issues read these values through :mod:`akari.policies.selectors` (``policy_in_force(...)
.pack``); no rule written here is ever repeated as a constant in code.

Stored versions are re-read through these models (``PolicyVersion.pack``), so a key added later
must have a default (or a data migration must add it to the stored documents).

Money is whole yen: an ``int`` or a digit string in YAML, a ``Decimal`` here. Floats are refused
(``480000.0`` is a float in YAML and fails with a clear message).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from akari.core.money import yen

# --- Small types --------------------------------------------------------------------------------

CODE_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Code = Annotated[str, Field(pattern=CODE_PATTERN, max_length=50)]
BeamlineCode = Annotated[str, Field(pattern=r"^BL[0-9A-Z]+$", max_length=20)]


def _money(value: Any) -> Decimal:
    """Whole yen from an int or a digit string; never a float, never negative."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number of yen, not true/false")
    if isinstance(value, float):
        raise ValueError(
            f"must be a whole number of yen written without a decimal point (got {value!r}); "
            "money is never a float"
        )
    if isinstance(value, Decimal | int | str):
        try:
            amount = yen(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"must be a whole number of yen (got {value!r})") from exc
        if amount < 0:
            raise ValueError(f"must not be negative (got {value!r})")
        return amount
    raise ValueError(f"must be a whole number of yen (got {type(value).__name__})")


Yen = Annotated[Decimal, BeforeValidator(_money)]


def _clock_time(value: Any) -> Any:
    # YAML 1.1 reads an unquoted 10:00 as the number 600: refuse it rather than guess.
    if isinstance(value, int | float):
        raise ValueError('write times of day in quotes, e.g. "10:00"')
    return value


ClockTime = Annotated[dt.time, BeforeValidator(_clock_time)]


def _fraction(value: Decimal) -> Decimal:
    if not Decimal(0) <= value < Decimal(1):
        raise ValueError('must be a fraction between 0 and 1, e.g. "0.10" for 10%')
    return value


class Strict(BaseModel):
    """Base: unknown keys are errors (a typo must not silently drop a rule)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A bilingual text."""

    ja: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]


class Bullets(Strict):
    """Bilingual bullet points (the seed's table cells); both lists say the same things."""

    ja: list[Annotated[str, Field(min_length=1)]] = []
    en: list[Annotated[str, Field(min_length=1)]] = []

    @model_validator(mode="after")
    def _same_length(self) -> Bullets:
        if len(self.ja) != len(self.en):
            raise ValueError(
                f"ja has {len(self.ja)} bullet(s) but en has {len(self.en)}; "
                "both languages must say the same things"
            )
        return self


# --- Parts of a pack ----------------------------------------------------------------------------

ResultOwnership = Literal["non_proprietary", "proprietary"]
ReviewPath = Literal["peer_and_technical", "technical_and_safety", "none"]
Application = Literal["call", "anytime", "booking"]
FeeUnit = Literal["shift", "hour", "unit", "order", "sample", "at_cost"]
Rounding = Literal["floor", "ceil", "half_up"]


class TimeUnit(Strict):
    """How beamtime is counted: 8-hour shifts, or hours (coalition)."""

    kind: Literal["shift", "hour"]
    hours: Annotated[int, Field(ge=1, le=24)]
    shift_starts: list[ClockTime] = []

    @model_validator(mode="after")
    def _starts(self) -> TimeUnit:
        if self.kind == "shift" and not self.shift_starts:
            raise ValueError('a shift time unit needs shift_starts (e.g. ["09:00", ...])')
        if self.kind == "hour" and (self.hours != 1 or self.shift_starts):
            raise ValueError("an hour time unit has hours: 1 and no shift_starts")
        return self


class Tax(Strict):
    rate: Annotated[Decimal, AfterValidator(_fraction)]
    rounding: Rounding


class JoiningYearRate(Strict):
    """A usage rate for members who joined in a given fiscal year (coalition)."""

    joining_fiscal_year: Annotated[int, Field(ge=2000, le=2100)]
    amount: Yen


class Fee(Strict):
    code: Code
    label: Text
    amount: Yen | None = None
    unit: FeeUnit
    tax_included: bool
    route: Code | None = None
    provisional: bool = False
    notes: Text | None = None
    by_joining_year: list[JoiningYearRate] = []

    @model_validator(mode="after")
    def _amount(self) -> Fee:
        if self.unit == "at_cost":
            if self.amount is not None or self.by_joining_year:
                raise ValueError("a fee charged at cost has no amount")
        elif self.amount is None and not self.by_joining_year:
            raise ValueError("an amount is required (or by_joining_year, or unit: at_cost)")
        elif self.amount is not None and self.by_joining_year:
            raise ValueError("give either amount or by_joining_year, not both")
        years = [r.joining_fiscal_year for r in self.by_joining_year]
        if len(set(years)) != len(years):
            raise ValueError("by_joining_year lists a fiscal year twice")
        return self


class Route(Strict):
    code: Code
    name: Text
    result_ownership: ResultOwnership
    review: ReviewPath
    application: Application
    lead_time_days: Annotated[int, Field(ge=0)] | None = None
    supervisor_required: bool = False
    eligibility: Text
    description: Text | None = None
    fees: list[Code] = []


class AnytimeRequests(Strict):
    unit_hours: Annotated[int, Field(ge=1)]


class Calls(Strict):
    per_year: Annotated[int, Field(ge=0, le=12)]
    anytime: AnytimeRequests | None = None
    online: bool = True


class ReviewTimeline(Strict):
    months_before_period: Annotated[Decimal, Field(gt=0)]
    notification_months_before: Annotated[Decimal, Field(gt=0)]
    selection_committee: bool = True
    waitlist: bool = False

    @model_validator(mode="after")
    def _order(self) -> ReviewTimeline:
        if self.notification_months_before >= self.months_before_period:
            raise ValueError("applicants are notified after the review, so closer to the period")
        return self


class PeerReview(Strict):
    """How peer review runs (read by the reviews app).

    ``reviews_per_proposal`` reviewers are assigned to every proposal whose route has peer
    review; a reviewer gets at most ``max_per_reviewer`` proposals of a call (a reviewer's own
    profile may set a lower or higher load). Scores are whole numbers from ``score_min`` to
    ``score_max``; ``higher_is_better`` says which end is best. Reviewers with open reviews are
    reminded ``reminder_days_before`` days before the due date (each reminder once).
    """

    reviews_per_proposal: Annotated[int, Field(ge=1, le=20)] = 3
    max_per_reviewer: Annotated[int, Field(ge=1)] = 15
    score_min: int = 1
    score_max: int = 10
    higher_is_better: bool = True
    reminder_days_before: list[Annotated[int, Field(ge=0, le=60)]] = [7, 1]

    @model_validator(mode="after")
    def _scale(self) -> PeerReview:
        if self.score_min >= self.score_max:
            raise ValueError("score_min must be below score_max")
        return self


class MemberClass(Strict):
    code: Code
    name: Text
    min_units: Annotated[int, Field(ge=1)] | None = None
    by_special_contract: bool = False


class Before(Strict):
    months: Annotated[int, Field(ge=0)] = 0
    days: Annotated[int, Field(ge=0)] = 0


class BookingRound(Strict):
    number: Annotated[int, Field(ge=1)]
    name: Text
    member_classes: list[Code] | Literal["all"]
    closes_before: Before
    priority: bool = False


AllocationCriterion = Literal["class_priority", "fair_share", "lottery"]


class Allocation(Strict):
    """How the round-1 allocation run decides between requests that collide (read by the
    coalition app). ``order`` lists the criteria applied in turn: ``class_priority`` (the
    member class earlier in ``class_priority`` wins), ``fair_share`` (the member with the lowest
    share of already-allocated hours per unit wins) and ``lottery`` (a draw from a seeded random
    generator whose seed is recorded with the run). Classes missing from ``class_priority`` come
    last."""

    order: Annotated[list[AllocationCriterion], Field(min_length=1)] = [
        "class_priority",
        "fair_share",
        "lottery",
    ]
    class_priority: list[Code] = ["platinum", "special_contract_gold", "gold", "general"]


class RefundTier(Strict):
    """Hours given back when a booking is cancelled at least ``days_before`` days before its
    start: ``refund`` is the fraction (1 = all hours). The tier with the largest
    ``days_before`` that the notice reaches applies; below every tier, nothing is refunded."""

    days_before: Annotated[int, Field(ge=0)]
    refund: Annotated[Decimal, Field(ge=0, le=1)]


class Booking(Strict):
    """Monthly member booking (coalition). Round 1 collects requests for month M from
    ``round1_opens_before`` before M starts until its ``closes_before`` (counted back from the
    start of M); later rounds close ``closes_before`` before the slot's start."""

    applications: Literal["monthly"]
    rounds: Annotated[list[BookingRound], Field(min_length=1)]
    round1_opens_before: Before = Before(months=2)
    allocation: Allocation = Allocation()
    cancellation: list[RefundTier] = [RefundTier(days_before=7, refund=Decimal(1))]
    waitlist_offer_hours: Annotated[int, Field(ge=1)] = 24
    low_balance_hours: Annotated[int, Field(ge=0)] = 20

    @model_validator(mode="after")
    def _rounds(self) -> Booking:
        numbers = [r.number for r in self.rounds]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("rounds must be numbered 1, 2, 3, ... in order")
        return self


class Entitlement(Strict):
    hours_per_unit_per_fiscal_year: Annotated[int, Field(ge=1)]
    contract_years: Annotated[int, Field(ge=1)]
    carry_over: bool = False


class Paper(Strict):
    months_after: Annotated[int, Field(ge=1)]
    extension_possible: bool = False
    overdue_bars_new_proposals: bool = False


class Obligations(Strict):
    """What an experiment owes after it ends (read by the outcomes app).

    Non-proprietary routes: an experiment report ``experiment_report_months`` after the end and
    a paper (``paper``). Proprietary routes owe only a short, never public usage report
    ``usage_report_months`` after the end (``None``: nothing). Reminders go out
    ``reminder_days_before`` days before a due date (0 = on the day), then every
    ``overdue_reminder_months`` months while overdue. Accepted non-proprietary reports are
    public ``report_publication_delay_months`` after acceptance; a satisfaction survey follows
    each experiment when ``survey`` is true; datasets of non-proprietary experiments stay under
    embargo ``data_embargo_years`` years after the end (proprietary data is never public).
    """

    experiment_report_months: Annotated[int, Field(ge=1)] | None = None
    paper: Paper | None = None
    switch_to_proprietary_days: Annotated[int, Field(ge=1)] | None = None
    # default: as the non-proprietary report (the issue: "a short usage report")
    usage_report_months: Annotated[int, Field(ge=1)] | None = 2
    # default: a month, a week and the day itself, then monthly
    reminder_days_before: list[Annotated[int, Field(ge=0, le=365)]] = [30, 7, 0]
    overdue_reminder_months: Annotated[int, Field(ge=1)] = 1
    # default: three months between acceptance and the public site
    report_publication_delay_months: Annotated[int, Field(ge=0)] = 3
    survey: bool = True
    # default: three years, as common facility data policies
    data_embargo_years: Annotated[int, Field(ge=0)] = 3


class Payment(Strict):
    invoiced: Literal["after_report", "after_use"]
    months_after_invoice: Annotated[int, Field(ge=1)]


class Caps(Strict):
    """Shares of a beamline's user time (the units a call offers on it), read by the selection
    committee. ``priority_and_proprietary_routes`` names the routes counted against
    ``priority_and_proprietary_max_percent``; when it is not given, every proprietary route and
    every route that pays a beamtime fee of its own (a fee with ``route:``) counts. A "group" of
    ``single_group_max_percent`` is the PI's primary affiliation organisation."""

    priority_and_proprietary_max_percent: Annotated[int, Field(ge=1, le=100)] | None = None
    single_group_max_percent: Annotated[int, Field(ge=1, le=100)] | None = None
    priority_and_proprietary_routes: list[Code] | None = None

    def capped_routes(self, routes: Iterable[Route], fees: Iterable[Fee]) -> frozenset[str]:
        """Codes of the routes counted against the priority + proprietary cap."""
        if self.priority_and_proprietary_routes is not None:
            return frozenset(self.priority_and_proprietary_routes)
        paid = {fee.route for fee in fees if fee.route is not None}
        return frozenset(
            r.code for r in routes if r.result_ownership == "proprietary" or r.code in paid
        )


class Requests(Strict):
    """How proposals ask for beamtime (read by the proposals app).

    ``min_units``/``unit_multiple`` are in the programme's time unit for calls (anytime requests
    count hours, in ``calls.anytime.unit_hours``); ``submission_closes_days_before_review`` sets
    a new call's default submission deadline, counted back from the review date
    (``review.months_before_period`` before the period starts); staff may change it per call.
    """

    min_units: Annotated[int, Field(ge=1)] = 1
    unit_multiple: Annotated[int, Field(ge=1)] = 1
    min_experimenters: Annotated[int, Field(ge=1)] = 1
    students_may_lead: bool = True
    submission_closes_days_before_review: Annotated[int, Field(ge=0)] = 14

    @model_validator(mode="after")
    def _multiple(self) -> Requests:
        if self.min_units % self.unit_multiple:
            raise ValueError("min_units must be a multiple of unit_multiple")
        return self


class DowntimeRefund(Strict):
    per: Literal["hour"]
    ignore_under_minutes: Annotated[int, Field(ge=0, le=59)]


def registration_number_valid(value: str) -> bool:
    """A qualified-invoice issuer registration number: ``T`` + a 13-digit corporate number whose
    first digit is the check digit: 9 - (sum of the other 12 digits weighted 1, 2, 1, 2, ...
    from the right, mod 9)."""
    if len(value) != 14 or value[0] != "T" or not value[1:].isascii() or not value[1:].isdigit():
        return False
    digits = value[1:]
    weighted = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(digits[1:])))
    return int(digits[0]) == 9 - weighted % 9


def _registration_number(value: str) -> str:
    if not registration_number_valid(value):
        raise ValueError(
            "must be T followed by the 13-digit corporate number with a valid check digit"
        )
    return value


class ConsumableItem(Strict):
    """One line of a programme's consumables price list (billed from usage records)."""

    code: Code
    label: Text
    unit: Text
    unit_price: Yen


# default: a demo price list (liquid helium and nitrogen, a standard sample holder); a facility
# replaces it with its own in a new pack version.
DEFAULT_CONSUMABLES = [
    ConsumableItem(
        code="liquid_helium",
        label=Text(ja="液体ヘリウム", en="Liquid helium"),
        unit=Text(ja="L", en="L"),
        unit_price=Decimal(3300),
    ),
    ConsumableItem(
        code="liquid_nitrogen",
        label=Text(ja="液体窒素", en="Liquid nitrogen"),
        unit=Text(ja="L", en="L"),
        unit_price=Decimal(220),
    ),
    ConsumableItem(
        code="sample_holder",
        label=Text(ja="標準試料ホルダー", en="Standard sample holder"),
        unit=Text(ja="個", en="piece"),
        unit_price=Decimal(5500),
    ),
]

# default: a demo registration number with a valid check digit (not a real issuer).
DEMO_REGISTRATION_NUMBER = "T7123456789012"


class Invoicing(Strict):
    """How the billing app invoices this programme (every key has a default).

    ``issuer`` is the name printed on the qualified invoice (default: the pack's ``operator``);
    ``registration_number`` its qualified-invoice issuer number (T + 13 digits); invoices of one
    registration number are numbered ``<number_prefix>-<fiscal year>-<sequence>`` without gaps.
    Overdue invoices are reminded ``reminder_days_after_due`` days after their due date.
    Fees priced per shift or hour are charged on the beamtime used, except ``metered_fees``,
    charged (like fees per order or sample) on the quantity recorded in the usage record.
    ``consumables`` is the price list of consumables recorded in usage records (their prices
    include tax or not as the programme's ``at_cost`` fee says)."""

    issuer: Text | None = None
    registration_number: Annotated[str, AfterValidator(_registration_number)] = (
        DEMO_REGISTRATION_NUMBER
    )
    number_prefix: Annotated[str, Field(pattern=r"^[A-Z0-9]{1,10}$")] = "INV"
    reminder_days_after_due: list[Annotated[int, Field(ge=0, le=365)]] = [7, 30]
    payment_note: Text | None = None
    consumables: list[ConsumableItem] = DEFAULT_CONSUMABLES
    # default: data analysis is billed on the hours recorded in the usage record, not on beamtime
    metered_fees: list[Code] = ["analysis"]
    # default: a rate listed for a joining year applies to members who joined that year or later
    # until a later year is listed; "exact" requires a rate for every joining year. Joining
    # before the first listed year is always an error (never a silent default).
    joining_year_rates: Literal["latest_listed", "exact"] = "latest_listed"

    def consumable(self, code: str) -> ConsumableItem:
        for item in self.consumables:
            if item.code == code:
                return item
        raise KeyError(code)


class OfferedBeamline(Strict):
    code: BeamlineCode
    share: Literal["all", "part"] = "all"


class Guide(Strict):
    """The texts of the seed's comparison table (rows the structured values do not cover)."""

    eligibility: Bullets
    consultation: Bullets
    how_to_apply: Bullets
    review: Bullets
    support: Bullets
    data_analysis: Bullets
    obligations: Bullets
    payment: Bullets
    information: Bullets
    revision: Bullets = Bullets()


class Pack(Strict):
    """One programme's policy for one period."""

    pack: Code
    version: Annotated[str, Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]*$", max_length=30)]
    effective_from: dt.date
    effective_until: dt.date | None = None
    facility: Code
    order: Annotated[int, Field(ge=0)] = 0
    operator: Text
    programme: Text
    time_unit: TimeUnit
    tax: Tax
    routes: Annotated[list[Route], Field(min_length=1)]
    fees: Annotated[list[Fee], Field(min_length=1)]
    calls: Calls | None = None
    review: ReviewTimeline | None = None
    peer_review: PeerReview = PeerReview()
    booking: Booking | None = None
    member_classes: list[MemberClass] = []
    entitlement: Entitlement | None = None
    obligations: Obligations = Obligations()
    payment: Payment
    caps: Caps = Caps()
    requests: Requests = Requests()
    downtime_refund: DowntimeRefund | None = None
    invoicing: Invoicing = Invoicing()
    beamlines: Annotated[list[OfferedBeamline], Field(min_length=1)]
    guide: Guide

    # Typed helpers for readers (pure: they only look at the pack itself).

    def route(self, code: str) -> Route:
        for route in self.routes:
            if route.code == code:
                return route
        raise KeyError(code)

    def fee(self, code: str) -> Fee:
        for fee in self.fees:
            if fee.code == code:
                return fee
        raise KeyError(code)

    @property
    def beamline_codes(self) -> list[str]:
        return [b.code for b in self.beamlines]


# --- Cross references ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: where (key path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def _duplicates(codes: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    dup: set[str] = set()
    for code in codes:
        (dup if code in seen else seen).add(code)
    return dup


def cross_check(pack: Pack, *, facilities: Mapping[str, set[str]] | None = None) -> list[Problem]:
    """References inside the pack and, given ``facilities`` (facility code -> beamline codes),
    to the facility catalogue. Returns every problem found (empty when the pack is sound)."""
    problems: list[Problem] = []
    if pack.effective_until is not None and pack.effective_until < pack.effective_from:
        problems.append(
            Problem(
                "effective_until",
                f"{pack.effective_until} is before effective_from {pack.effective_from}",
            )
        )
    route_codes = [r.code for r in pack.routes]
    fee_codes = {f.code for f in pack.fees}
    class_codes = {c.code for c in pack.member_classes}
    for i, code in enumerate(route_codes):
        if code in _duplicates(route_codes):
            problems.append(Problem(f"routes[{i}].code", f'route code "{code}" is used twice'))
    seen: set[str] = set()
    for i, fee in enumerate(pack.fees):
        if fee.code in seen:
            problems.append(Problem(f"fees[{i}].code", f'fee code "{fee.code}" is used twice'))
        seen.add(fee.code)
        if fee.route is not None and fee.route not in route_codes:
            problems.append(
                Problem(f"fees[{i}].route", f'refers to route "{fee.route}", which is not defined')
            )
    for i, code in enumerate(pack.caps.priority_and_proprietary_routes or []):
        if code not in route_codes:
            problems.append(
                Problem(
                    f"caps.priority_and_proprietary_routes[{i}]",
                    f'refers to route "{code}", which is not defined under routes',
                )
            )
    for i, route in enumerate(pack.routes):
        for j, code in enumerate(route.fees):
            if code not in fee_codes:
                problems.append(
                    Problem(
                        f"routes[{i}].fees[{j}]",
                        f'refers to fee "{code}", which is not defined under fees',
                    )
                )
    for i, fee in enumerate(pack.fees):
        listed = fee.route is None or fee.route not in route_codes
        if not listed and fee.code not in pack.route(str(fee.route)).fees:
            problems.append(
                Problem(
                    f"fees[{i}].route",
                    f'fee "{fee.code}" belongs to route "{fee.route}" but that route does '
                    "not list it under fees",
                )
            )
    for i, member_class in enumerate(pack.member_classes):
        if member_class.code in _duplicates(c.code for c in pack.member_classes):
            problems.append(
                Problem(f"member_classes[{i}].code", f'"{member_class.code}" is used twice')
            )
    if pack.booking is not None:
        if not pack.member_classes:
            problems.append(Problem("member_classes", "booking rounds need member classes"))
        for i, booking_round in enumerate(pack.booking.rounds):
            if booking_round.member_classes == "all":
                continue
            for j, code in enumerate(booking_round.member_classes):
                if code not in class_codes:
                    problems.append(
                        Problem(
                            f"booking.rounds[{i}].member_classes[{j}]",
                            f'refers to member class "{code}", which is not defined',
                        )
                    )
    if pack.calls is None and pack.booking is None:
        problems.append(Problem("calls", "a programme needs calls or booking (or both)"))
    if any(r.review != "none" for r in pack.routes) and pack.review is None:
        problems.append(Problem("review", "routes are reviewed, so a review timeline is required"))
    beamline_codes = pack.beamline_codes
    for i, code in enumerate(beamline_codes):
        if code in _duplicates(beamline_codes):
            problems.append(Problem(f"beamlines[{i}].code", f"{code} is listed twice"))
    if facilities is not None:
        if pack.facility not in facilities:
            problems.append(
                Problem(
                    "facility",
                    f'facility "{pack.facility}" is not in the catalogue; load the facility '
                    "data first (manage.py load_facility)",
                )
            )
        else:
            known = facilities[pack.facility]
            for i, code in enumerate(beamline_codes):
                if code not in known:
                    problems.append(
                        Problem(
                            f"beamlines[{i}].code",
                            f'beamline {code} does not exist at facility "{pack.facility}"',
                        )
                    )
    return problems

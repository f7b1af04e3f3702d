"""Reads of the coalition, scoped by the caller (see :mod:`permissions`).

The calendar selectors return **free/busy** only: the intervals of a beamline that are closed
(no booking window), free or busy, and which busy hours are the viewer's own member's. They
never return who holds another busy interval.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model, Prefetch, QuerySet

from akari.beamtime import selectors as beamtime
from akari.beamtime.models import BookingWindow
from akari.coalition import policy, rounds
from akari.coalition.models import (
    AllocationRun,
    Booking,
    BookingRequest,
    EntitlementAccount,
    LedgerEntry,
    MemberPerson,
    Membership,
    WaitlistEntry,
)
from akari.core.clock import TOKYO
from akari.facility.models import Beamline, EndStation

Interval = tuple[dt.datetime, dt.datetime]


def coalition_beamlines() -> QuerySet[Beamline]:
    return (
        Beamline.objects.filter(
            facility__code=policy.facility_code(), code__in=policy.beamline_codes()
        )
        .select_related("facility")
        .order_by("code")
    )


def coalition_end_stations() -> QuerySet[EndStation]:
    return EndStation.objects.filter(
        beamline__in=coalition_beamlines(), is_active=True
    ).select_related("beamline")


@dataclass(frozen=True)
class Cell:
    hour: int
    state: str  # closed | free | busy | own


@dataclass(frozen=True)
class Day:
    day: dt.date
    cells: list[Cell]


def month_grid(beamline: Beamline, month: dt.date, membership: Membership | None) -> list[Day]:
    """Hour-by-hour free/busy of a beamline for a month (three queries)."""
    start = rounds.month_start(month)
    end = rounds.add_months(start, 1)
    windows = beamtime.windows(beamline, policy.PROGRAMME, start, end)
    busy = list(beamtime.active_blocks(beamline, start, end).values_list("pk", "start", "end"))
    own: set[int] = set()
    if membership is not None:
        own = set(
            Booking.objects.filter(
                membership=membership, block_id__in=[b[0] for b in busy]
            ).values_list("block_id", flat=True)
        )
    days = []
    for number in range(1, cal.monthrange(start.year, start.month)[1] + 1):
        cells = []
        for hour in range(24):
            a = dt.datetime(start.year, start.month, number, hour, tzinfo=TOKYO)
            b = a + dt.timedelta(hours=1)
            state = "closed"
            if any(w0 <= a and b <= w1 for w0, w1 in windows):
                state = "free"
            for pk, s, e in busy:
                if s < b and a < e:
                    state = "own" if pk in own else "busy"
                    break
            cells.append(Cell(hour, state))
        days.append(Day(dt.date(start.year, start.month, number), cells))
    return days


def free_busy(
    beamline: Beamline, start: dt.datetime, end: dt.datetime
) -> dict[str, list[Interval]]:
    """Free and busy intervals of a beamline in ``[start, end)``, without owners."""
    free = beamtime.free_intervals(beamline, policy.PROGRAMME, start, end)
    busy = [
        (max(s, start), min(e, end))
        for s, e in beamtime.active_blocks(beamline, start, end).values_list("start", "end")
    ]
    return {"free": free, "busy": busy}


def accounts(membership: Membership) -> QuerySet[EntitlementAccount]:
    return EntitlementAccount.objects.filter(membership=membership).order_by("-fiscal_year")


def available_hours(membership: Membership, fiscal_year: int) -> int:
    row = (
        EntitlementAccount.objects.filter(membership=membership, fiscal_year=fiscal_year)
        .values_list("available", flat=True)
        .first()
    )
    return int(row or 0)


def history(membership: Membership, limit: int = 50) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(account__membership=membership)
        .exclude(bucket="external")
        .select_related("account", "booking", "request")
        .order_by("-at", "-pk")[:limit]
    )


def member_bookings(membership_ids: list[int]) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(membership_id__in=membership_ids)
        .select_related("beamline", "end_station", "booked_by", "membership__organisation")
        .order_by("-start")
    )


def staff_bookings(*, beamline: str = "", status: str = "") -> QuerySet[Booking]:
    qs = Booking.objects.select_related(
        "beamline", "end_station", "booked_by", "membership__organisation"
    ).order_by("-start")
    if beamline:
        qs = qs.filter(beamline__code=beamline)
    if status:
        qs = qs.filter(status=status)
    return qs


def member_requests(membership_ids: list[int]) -> QuerySet[BookingRequest]:
    return (
        BookingRequest.objects.filter(membership_id__in=membership_ids)
        .select_related("beamline", "requested_by", "booking")
        .order_by("-month", "start")
    )


def member_waitlist(membership_ids: list[int]) -> QuerySet[WaitlistEntry]:
    return (
        WaitlistEntry.objects.filter(membership_id__in=membership_ids)
        .select_related("beamline", "person")
        .order_by("start")
    )


def memberships() -> QuerySet[Membership]:
    return Membership.objects.select_related("organisation").prefetch_related(
        Prefetch("accounts", EntitlementAccount.objects.order_by("-fiscal_year"))
    )


def upcoming_windows(start: dt.datetime, end: dt.datetime) -> QuerySet[BookingWindow]:
    return (
        BookingWindow.objects.filter(programme=policy.PROGRAMME, end__gt=start, start__lt=end)
        .select_related("beamline")
        .order_by("beamline__code", "start")
    )


def runs() -> QuerySet[AllocationRun]:
    return AllocationRun.objects.select_related("ran_by").order_by("-month")


def run_rows(run: AllocationRun) -> list[dict[str, Any]]:
    """The draw with each request's member, beamline and time (staff only)."""
    requests = {
        r.pk: r
        for r in BookingRequest.objects.filter(
            pk__in=[d["request"] for d in run.draw]
        ).select_related("membership__organisation", "beamline")
    }
    return [{**d, "obj": requests.get(d["request"])} for d in run.draw]


# --- The API's token holder with their member rows (one query) --------------------------------

_HOLDER_MODELS: tuple[type[Model], ...] = ()
_HOLDER_SQL = ""


def _holder_query() -> tuple[tuple[type[Model], ...], str]:
    """The models read by :func:`token_holder` and its SQL, built once per process from the
    models' metadata (identifiers only; the token is the one parameter)."""
    global _HOLDER_MODELS, _HOLDER_SQL
    if not _HOLDER_SQL:
        from rest_framework.authtoken.models import Token

        from akari.accounts.models import Organisation, User

        models = (Token, User, MemberPerson, Membership, Organisation)
        aliases = ("t", "u", "mp", "m", "o")
        quote = connection.ops.quote_name
        columns = ", ".join(
            f"{alias}.{quote(str(f.column))}"
            for model, alias in zip(models, aliases, strict=True)
            for f in model._meta.concrete_fields
        )
        table = {
            alias: quote(model._meta.db_table) for model, alias in zip(models, aliases, strict=True)
        }
        _HOLDER_SQL = (
            f"SELECT {columns} FROM {table['t']} t "  # noqa: S608 - identifiers from metadata
            f"JOIN {table['u']} u ON u.id = t.user_id "
            f"LEFT JOIN ({table['mp']} mp JOIN {table['m']} m ON m.id = mp.membership_id "
            f"JOIN {table['o']} o ON o.id = m.organisation_id) ON mp.person_id = u.id "
            f"WHERE t.{quote('key')} = %s ORDER BY o.name_en"
        )
        _HOLDER_MODELS = models
    return _HOLDER_MODELS, _HOLDER_SQL


_CONVERTERS: dict[type[Model], list[tuple[int, Any, Any]]] = {}


def _from_row(model: type[Model], row: Sequence[Any]) -> Any:
    """A model instance from its concrete columns, converted as the ORM converts them."""
    converters = _CONVERTERS.get(model)
    if converters is None:
        converters = _CONVERTERS[model] = [
            (i, f, convert)
            for i, f in enumerate(model._meta.concrete_fields)
            for convert in f.get_db_converters(connection)
        ]
    values = list(row)
    for i, f, convert in converters:
        values[i] = convert(values[i], f, connection)
    return model.from_db(connection.alias, (), values)  # every column: no names needed


def token_holder(key: str) -> tuple[Any, Any, list[MemberPerson]] | None:
    """``(user, token, member rows)`` of an API token in **one** query, or None for an unknown
    token: the token with its user (as DRF's ``TokenAuthentication`` reads it) and the user's
    member-person rows with their membership and organisation, in the order of
    :func:`akari.coalition.permissions.member_rows` (organisation name). The booking API's hot
    path (see :mod:`akari.coalition.authentication`)."""
    models, sql = _holder_query()
    widths = [len(m._meta.concrete_fields) for m in models]
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        found = cursor.fetchall()
    if not found:
        return None
    rows: list[MemberPerson] = []
    token = user = None
    for raw in found:
        parts, at = [], 0
        for width in widths:
            parts.append(raw[at : at + width])
            at += width
        if token is None:
            token = _from_row(models[0], parts[0])
            user = _from_row(models[1], parts[1])
            token.user = user
        if parts[2][0] is None:  # no member-person row (LEFT JOIN)
            continue
        person = _from_row(MemberPerson, parts[2])
        membership = _from_row(Membership, parts[3])
        membership.organisation = _from_row(models[4], parts[4])
        person.membership = membership
        person.person = user
        rows.append(person)
    return user, token, rows

"""The booking rounds of a month, as pure functions of (slot start, now, member class, policy).

For a slot starting at ``s`` in month ``M`` (calendar month of ``s`` in Asia/Tokyo):

* **Round 1** (requests): opens ``booking.round1_opens_before`` before the start of M (default
  two months, so requests for December open on 1 October 00:00) and closes the first round's
  ``closes_before`` before the start of M (pack: one month, so 1 November 00:00). Requests book
  nothing until the allocation run.
* **Round k ≥ 2** (first come, first served): opens when round k−1 closes and closes
  ``closes_before`` before ``s`` (pack: round 2 until 7 days before, only platinum and
  special-contract gold; round 3 until 2 days before, every class).
* After the last round closes only staff may place a booking for a member.

Every refusal carries a rule ``code`` and a translated message naming the rule (and when the
member could act next). Nothing here touches the database.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akari.core.clock import TOKYO
from akari.core.i18n import current_language
from akari.policies.schema import Before, Booking, BookingRound, MemberClass, Text


@dataclass(frozen=True)
class Phase:
    number: int
    opens: dt.datetime
    closes: dt.datetime
    rule: BookingRound

    def admits(self, member_class: str) -> bool:
        classes = self.rule.member_classes
        return classes == "all" or member_class in classes


@dataclass(frozen=True)
class RoundCheck:
    allowed: bool
    round: int | None
    code: str
    message: str = ""
    opens_at: dt.datetime | None = None


def text(value: Text) -> str:
    return value.ja if current_language() == "ja" else value.en


def fmt(instant: dt.datetime) -> str:
    return instant.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M")


def month_start(instant: dt.datetime | dt.date) -> dt.datetime:
    """00:00 Asia/Tokyo on the first day of the month of ``instant`` (in Tokyo)."""
    day = instant.astimezone(TOKYO).date() if isinstance(instant, dt.datetime) else instant
    return dt.datetime(day.year, day.month, 1, tzinfo=TOKYO)


def add_months(instant: dt.datetime, months: int) -> dt.datetime:
    local = instant.astimezone(TOKYO)
    index = local.year * 12 + local.month - 1 + months
    year, month = divmod(index, 12)
    day = min(local.day, calendar.monthrange(year, month + 1)[1])
    return local.replace(year=year, month=month + 1, day=day)


def before(anchor: dt.datetime, offset: Before) -> dt.datetime:
    return add_months(anchor, -offset.months) - dt.timedelta(days=offset.days)


def month_label(instant: dt.datetime) -> str:
    local = instant.astimezone(TOKYO)
    if current_language() == "ja":
        return f"{local.year}年{local.month}月"
    return local.strftime("%B %Y")


def before_label(offset: Before) -> str:
    parts = []
    if offset.months:
        parts.append(ngettext("%(n)d month", "%(n)d months", offset.months) % {"n": offset.months})
    if offset.days:
        parts.append(ngettext("%(n)d day", "%(n)d days", offset.days) % {"n": offset.days})
    return " ".join(parts) or _("0 days")


def phases(slot_start: dt.datetime, policy: Booking) -> list[Phase]:
    """Every round for the slot, in order (round 1 is anchored on the month, later rounds on the
    slot). A round whose close is not after its opening is empty and left out."""
    month = month_start(slot_start)
    first = policy.rounds[0]
    out = [
        Phase(
            1, before(month, policy.round1_opens_before), before(month, first.closes_before), first
        )
    ]
    opens = out[0].closes
    for rule in policy.rounds[1:]:
        closes = before(slot_start, rule.closes_before)
        if closes > opens:
            out.append(Phase(rule.number, opens, closes, rule))
            opens = closes
    return out


def class_names(codes: Sequence[str], classes: Sequence[MemberClass]) -> str:
    names = {c.code: text(c.name) for c in classes}
    sep = "・" if current_language() == "ja" else _(" and ")
    return sep.join(names.get(code, code) for code in codes)


def direct_booking(
    *,
    slot_start: dt.datetime,
    now: dt.datetime,
    member_class: str,
    policy: Booking,
    classes: Sequence[MemberClass],
) -> RoundCheck:
    """May a member of ``member_class`` book the slot now (rounds 2 and later)?"""
    if now >= slot_start:
        return RoundCheck(
            False, None, "past", _("This slot has already started; it cannot be booked.")
        )
    steps = phases(slot_start, policy)
    request_round = steps[0]
    month = month_label(slot_start)
    if now < request_round.opens:
        return RoundCheck(
            False,
            None,
            "too_early",
            _("Booking for %(month)s has not opened yet: %(round)s opens on %(opens)s.")
            % {
                "month": month,
                "round": text(request_round.rule.name),
                "opens": fmt(request_round.opens),
            },
            request_round.opens,
        )
    if now < request_round.closes:
        return RoundCheck(
            False,
            1,
            "round1_requests_only",
            _(
                "%(round)s collects requests for %(month)s until %(closes)s; slots are allocated "
                "after that. Submit a round-1 request instead; free slots can be booked directly "
                "from %(closes)s."
            )
            % {
                "round": text(request_round.rule.name),
                "month": month,
                "closes": fmt(request_round.closes),
            },
            request_round.closes,
        )
    later = steps[1:]
    for index, step in enumerate(later):
        if not step.opens <= now < step.closes:
            continue
        if step.admits(member_class):
            return RoundCheck(True, step.number, f"round{step.number}")
        following = next((p for p in later[index + 1 :] if p.admits(member_class)), None)
        rule = step.rule
        who = (
            class_names(rule.member_classes, classes) if rule.member_classes != "all" else _("all")
        )
        message = _(
            "%(round)s (until %(before)s before the slot) is open only to %(classes)s members."
        ) % {"round": text(rule.name), "before": before_label(rule.closes_before), "classes": who}
        if following is not None:
            message += " " + _("%(round)s opens on %(opens)s.") % {
                "round": text(following.rule.name),
                "opens": fmt(following.opens),
            }
        return RoundCheck(
            False,
            step.number,
            "round_class",
            message,
            following.opens if following else None,
        )
    last = steps[-1]
    return RoundCheck(
        False,
        None,
        "staff_only",
        _(
            "%(round)s closed %(before)s before the slot (on %(closes)s); only the user office "
            "can book this slot now."
        )
        % {
            "round": text(last.rule.name),
            "before": before_label(last.rule.closes_before),
            "closes": fmt(last.closes),
        },
    )


def request_window(*, slot_start: dt.datetime, now: dt.datetime, policy: Booking) -> RoundCheck:
    """May a round-1 request be made for the slot now?"""
    first = phases(slot_start, policy)[0]
    month = month_label(slot_start)
    name = text(first.rule.name)
    if now < first.opens:
        return RoundCheck(
            False,
            None,
            "too_early",
            _("%(round)s requests for %(month)s open on %(opens)s.")
            % {"round": name, "month": month, "opens": fmt(first.opens)},
            first.opens,
        )
    if now >= first.closes:
        return RoundCheck(
            False,
            None,
            "round1_closed",
            _(
                "%(round)s requests for %(month)s closed on %(closes)s; book free slots in the "
                "later rounds instead."
            )
            % {"round": name, "month": month, "closes": fmt(first.closes)},
        )
    return RoundCheck(True, 1, "round1")


def refund_fraction(*, slot_start: dt.datetime, now: dt.datetime, policy: Booking) -> Decimal:
    """The refunded fraction of a booking's hours when it is cancelled at ``now``."""
    notice = slot_start - now
    best = Decimal(0)
    for tier in sorted(policy.cancellation, key=lambda t: t.days_before, reverse=True):
        if notice >= dt.timedelta(days=tier.days_before):
            best = tier.refund
            break
    return best

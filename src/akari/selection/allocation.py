"""The committee's proposed allocation of one beamline's beamtime: a pure function.

No database here: callers (:mod:`akari.selection.selectors`, :mod:`akari.selection.services`)
turn proposals into :class:`Candidate` rows and policy values into :class:`Limits`, and this
module decides. The same :func:`breaches` check guards the proposed allocation, the committee's
overrides (``decision_record``) and waitlist promotion, so no path can award beamtime that breaks
a cap.

The rules, all in the beamline's time unit (shifts or hours):

* Beamtime awarded on the beamline never exceeds ``Limits.available`` (the units the call offers).
* Proposals of the capped routes (SPring-8: priority and proprietary) together get at most
  ``capped_max`` = ``available`` x ``caps.priority_and_proprietary_max_percent`` / 100, rounded
  down.
* One group (the PI's primary affiliation organisation; the PI alone when none) gets at most
  ``group_max`` = ``available`` x ``caps.single_group_max_percent`` / 100, rounded down.
* Greedy down the ranking: a proposal gets what it requested if that fits what is left under
  every limit; otherwise the largest part that fits and respects the programme's granularity
  (a multiple of ``requests.unit_multiple`` and at least ``requests.min_units``); otherwise it is
  waitlisted (or rejected when the programme keeps no waitlist, ``review.waitlist``).
* A proposal whose technical review says "not feasible" is suggested for rejection.
* Decisions already recorded are fixed: accepted awards use up beamtime and caps first, whatever
  their rank, and the others are only re-suggested below them.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field


class Action(enum.StrEnum):
    AWARD = "award"
    WAITLIST = "waitlist"
    REJECT = "reject"


class Reason(enum.StrEnum):
    """Why a suggestion is what it is (shown to the committee, translated in templates)."""

    FITS = "fits"  # the whole request fits
    AVAILABILITY = "availability"  # not enough beamtime left
    CAPPED_SHARE = "capped_share"  # the priority + proprietary cap binds
    GROUP_SHARE = "group_share"  # the single-group cap binds
    NOT_FEASIBLE = "not_feasible"  # technical review: not feasible
    DECIDED = "decided"  # the committee already recorded a decision


@dataclass(frozen=True)
class Limits:
    """The limits of one beamline in one call."""

    available: int
    capped_max: int | None = None
    group_max: int | None = None
    min_units: int = 1
    unit_multiple: int = 1
    waitlist: bool = True

    @classmethod
    def from_policy(
        cls,
        *,
        available: int,
        capped_percent: int | None,
        group_percent: int | None,
        min_units: int = 1,
        unit_multiple: int = 1,
        waitlist: bool = True,
    ) -> Limits:
        """Caps in percent of the available units, rounded down to whole units."""
        return cls(
            available=available,
            capped_max=None if capped_percent is None else available * capped_percent // 100,
            group_max=None if group_percent is None else available * group_percent // 100,
            min_units=min_units,
            unit_multiple=unit_multiple,
            waitlist=waitlist,
        )


@dataclass(frozen=True)
class Decided:
    """A decision already recorded (``units`` > 0 only when accepted)."""

    action: Action
    units: int = 0


@dataclass(frozen=True)
class Candidate:
    """One proposal's request on the beamline, in ranking order."""

    key: Hashable
    units_requested: int
    capped: bool = False
    group: Hashable = None
    feasible: bool = True
    decided: Decided | None = None


@dataclass(frozen=True)
class Suggestion:
    key: Hashable
    action: Action
    units: int
    reason: Reason
    running_total: int  # units awarded down the ranking up to and including this row

    @property
    def partial(self) -> bool:
        return self.action == Action.AWARD and self.reason != Reason.FITS


@dataclass
class Usage:
    """Units already awarded on the beamline: in total, to capped routes, and per group."""

    total: int = 0
    capped: int = 0
    groups: dict[Hashable, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, *, units: int, capped: bool, group: Hashable) -> None:
        self.total += units
        if capped:
            self.capped += units
        self.groups[group] += units

    @classmethod
    def of(cls, awards: Iterable[tuple[int, bool, Hashable]]) -> Usage:
        """From (units, capped, group) triples of the accepted proposals."""
        usage = cls()
        for units, capped, group in awards:
            usage.add(units=units, capped=capped, group=group)
        return usage


class Breach(enum.StrEnum):
    """Why an award is refused (messages in :mod:`akari.selection.services`)."""

    NOT_POSITIVE = "not_positive"
    EXCEEDS_REQUEST = "exceeds_request"
    GRANULARITY = "granularity"
    AVAILABILITY = "availability"
    CAPPED_SHARE = "capped_share"
    GROUP_SHARE = "group_share"


def room(limits: Limits, usage: Usage, *, capped: bool, group: Hashable) -> tuple[int, Reason]:
    """The most that may still be awarded to one more proposal, and the limit that binds.

    On a tie the shortage of beamtime is named before a cap (it binds everyone).
    """
    options = [(limits.available - usage.total, Reason.AVAILABILITY)]
    if capped and limits.capped_max is not None:
        options.append((limits.capped_max - usage.capped, Reason.CAPPED_SHARE))
    if limits.group_max is not None:
        options.append((limits.group_max - usage.groups.get(group, 0), Reason.GROUP_SHARE))
    units, reason = min(options, key=lambda option: option[0])  # first minimum wins
    return max(units, 0), reason


def aligned(limits: Limits, units: int) -> bool:
    """Whether a partial award respects the programme's granularity."""
    return units >= limits.min_units and units % limits.unit_multiple == 0


def largest_award(limits: Limits, *, requested: int, room: int) -> int:
    """The whole request if it fits, else the largest aligned part of ``room`` (or 0)."""
    if requested <= room:
        return requested
    part = room - room % limits.unit_multiple
    return part if part >= limits.min_units else 0


def breaches(
    limits: Limits,
    usage: Usage,
    *,
    units: int,
    requested: int,
    capped: bool,
    group: Hashable,
) -> list[Breach]:
    """What awarding ``units`` to one more proposal would break (empty when allowed).

    ``usage`` must not include this proposal. The whole request is always an allowed size; a
    smaller award must respect the granularity.
    """
    found: list[Breach] = []
    if units <= 0:
        return [Breach.NOT_POSITIVE]
    if units > requested:
        found.append(Breach.EXCEEDS_REQUEST)
    elif units != requested and not aligned(limits, units):
        found.append(Breach.GRANULARITY)
    if usage.total + units > limits.available:
        found.append(Breach.AVAILABILITY)
    if capped and limits.capped_max is not None and usage.capped + units > limits.capped_max:
        found.append(Breach.CAPPED_SHARE)
    if limits.group_max is not None and usage.groups.get(group, 0) + units > limits.group_max:
        found.append(Breach.GROUP_SHARE)
    return found


def allocate(
    candidates: Sequence[Candidate], limits: Limits, *, start: Usage | None = None
) -> list[Suggestion]:
    """One suggestion per candidate, in the given (ranking) order.

    ``start`` is beamtime already awarded to proposals that are not candidates (e.g. the
    accepted proposals when the waitlist is offered freed beamtime).
    """
    usage = Usage()
    if start is not None:
        usage.total, usage.capped = start.total, start.capped
        usage.groups.update(start.groups)
    for candidate in candidates:
        if candidate.decided is not None and candidate.decided.action == Action.AWARD:
            usage.add(units=candidate.decided.units, capped=candidate.capped, group=candidate.group)
    not_awarded = Action.WAITLIST if limits.waitlist else Action.REJECT
    plan: dict[Hashable, tuple[Action, int, Reason]] = {}
    for candidate in candidates:
        if candidate.decided is not None:
            decided = candidate.decided
            plan[candidate.key] = (decided.action, decided.units, Reason.DECIDED)
            continue
        if not candidate.feasible:
            plan[candidate.key] = (Action.REJECT, 0, Reason.NOT_FEASIBLE)
            continue
        space, binding = room(limits, usage, capped=candidate.capped, group=candidate.group)
        units = largest_award(limits, requested=candidate.units_requested, room=space)
        if units == candidate.units_requested:
            plan[candidate.key] = (Action.AWARD, units, Reason.FITS)
        elif units > 0:
            plan[candidate.key] = (Action.AWARD, units, binding)
        else:
            plan[candidate.key] = (not_awarded, 0, binding)
        if units:
            usage.add(units=units, capped=candidate.capped, group=candidate.group)
    suggestions = []
    running = start.total if start is not None else 0
    for candidate in candidates:
        action, units, reason = plan[candidate.key]
        running += units if action == Action.AWARD else 0
        suggestions.append(Suggestion(candidate.key, action, units, reason, running))
    return suggestions

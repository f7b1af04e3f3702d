"""The scheduling instance: plain data, no database (shared by the app, the CLI and the bench).

Time is counted in **shifts** from the start of the period: shift ``i`` starts at
``origin + i * shift_hours`` hours (8-hour shifts starting at 09:00, 17:00 and 01:00 JST are
contiguous, so one index covers the whole period). Intervals are half-open ``[start, end)``.

JSON format (``Instance.to_json`` / ``Instance.from_json``; ``bench/schedule.py --instance``)::

    {
      "origin": "2027-04-01T09:00:00+09:00",   # start of shift 0 (labels only)
      "shift_hours": 8,
      "horizon": 546,                          # number of shifts in the period
      "beamlines": [
        {"code": "BL01", "available": [[9, 120], [123, 300]], "changeover": 0}
      ],
      "awards": [
        {"id": 1, "label": "2027A0001", "beamlines": ["BL01", "BL02"], "shifts": 9,
         "score": 420,                        # integer weight (committee score x 100)
         "contiguous": true, "min_piece": 3,  # a split award comes in pieces >= min_piece
         "windows": [[0, 273]],               # allowed intervals (time-designated, earliest/
                                              # latest); empty = the whole period
         "blackouts": [[40, 61]],             # the team's unavailable shifts
         "preferred": [90, 150],              # optional preferred dates
         "classes": ["capped"]}               # cap classes the award counts against
      ],
      "caps": [{"cls": "capped", "beamline": "BL01", "max_shifts": 160}],
      "pins": [{"award": 1, "beamline": "BL01", "pieces": [[30, 9]]}]   # (start, length)
    }

``available`` is the beamline's user time open to the scheduler (run segments of user time
minus the beamline's outages and the coalition's share). ``changeover`` is the number of
shifts a beamline needs free after an experiment before a different one starts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

Interval = tuple[int, int]


@dataclass(frozen=True)
class Beamline:
    code: str
    available: tuple[Interval, ...]
    changeover: int = 0


@dataclass(frozen=True)
class Award:
    id: int
    label: str
    beamlines: tuple[str, ...]
    shifts: int
    score: int
    contiguous: bool = True
    min_piece: int = 3
    windows: tuple[Interval, ...] = ()
    blackouts: tuple[Interval, ...] = ()
    preferred: Interval | None = None
    classes: tuple[str, ...] = ()

    @property
    def piece(self) -> int:
        """Shortest piece of a split award (never more than the award)."""
        return max(1, min(self.min_piece, self.shifts))

    @property
    def value(self) -> int:
        """Score-weighted shifts when placed."""
        return self.score * self.shifts


@dataclass(frozen=True)
class Cap:
    cls: str
    beamline: str
    max_shifts: int


@dataclass(frozen=True)
class Pin:
    award: int
    beamline: str
    pieces: tuple[Interval, ...]  # (start, length)


@dataclass(frozen=True)
class Instance:
    horizon: int
    beamlines: tuple[Beamline, ...]
    awards: tuple[Award, ...]
    caps: tuple[Cap, ...] = ()
    pins: tuple[Pin, ...] = ()
    origin: str = ""
    shift_hours: int = 8

    def beamline(self, code: str) -> Beamline:
        return next(b for b in self.beamlines if b.code == code)

    # --- JSON -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Instance:
        def iv(items: Any) -> tuple[Interval, ...]:
            return tuple((int(a), int(b)) for a, b in items or ())

        beamlines = tuple(
            Beamline(
                code=str(b["code"]),
                available=iv(b["available"]),
                changeover=int(b.get("changeover", 0)),
            )
            for b in data["beamlines"]
        )
        awards = tuple(
            Award(
                id=int(a["id"]),
                label=str(a.get("label", a["id"])),
                beamlines=tuple(a["beamlines"]),
                shifts=int(a["shifts"]),
                score=int(a["score"]),
                contiguous=bool(a.get("contiguous", True)),
                min_piece=int(a.get("min_piece", 3)),
                windows=iv(a.get("windows")),
                blackouts=iv(a.get("blackouts")),
                preferred=tuple(a["preferred"]) if a.get("preferred") else None,
                classes=tuple(a.get("classes", ())),
            )
            for a in data["awards"]
        )
        caps = tuple(
            Cap(cls=str(c["cls"]), beamline=str(c["beamline"]), max_shifts=int(c["max_shifts"]))
            for c in data.get("caps", ())
        )
        pins = tuple(
            Pin(award=int(p["award"]), beamline=str(p["beamline"]), pieces=iv(p["pieces"]))
            for p in data.get("pins", ())
        )
        return cls(
            horizon=int(data["horizon"]),
            beamlines=beamlines,
            awards=awards,
            caps=caps,
            pins=pins,
            origin=str(data.get("origin", "")),
            shift_hours=int(data.get("shift_hours", 8)),
        )

    @classmethod
    def from_json(cls, text: str) -> Instance:
        return cls.from_dict(json.loads(text))


@dataclass
class Placement:
    award: int
    beamline: str
    pieces: list[Interval] = field(default_factory=list)  # (start, length)

    @property
    def shifts(self) -> int:
        return sum(length for _, length in self.pieces)


def merge_pieces(pieces: list[Interval]) -> list[Interval]:
    """``(start, length)`` pieces in time order, adjacent ones joined into one (a split award
    decoded from chunks or stretch patterns is shown as its real blocks)."""
    merged: list[Interval] = []
    for start, length in sorted(pieces):
        if merged and merged[-1][0] + merged[-1][1] == start:
            merged[-1] = (merged[-1][0], merged[-1][1] + length)
        else:
            merged.append((start, length))
    return merged


def mask(horizon: int, intervals: tuple[Interval, ...] | list[Interval]) -> list[bool]:
    out = [False] * horizon
    for start, end in intervals:
        for s in range(max(0, start), min(horizon, end)):
            out[s] = True
    return out


def allowed_mask(
    instance: Instance,
    award: Award,
    beamline: Beamline,
    *,
    windows: bool = True,
    blackouts: bool = True,
) -> list[bool]:
    """Shifts where ``award`` may run on ``beamline`` (user time, its windows, not blacked out)."""
    allowed = mask(instance.horizon, beamline.available)
    if windows and award.windows:
        inside = mask(instance.horizon, award.windows)
        allowed = [a and w for a, w in zip(allowed, inside, strict=True)]
    if blackouts and award.blackouts:
        for start, end in award.blackouts:
            for s in range(max(0, start), min(instance.horizon, end)):
                allowed[s] = False
    return allowed


def run_lengths(allowed: list[bool]) -> list[int]:
    """``out[s]`` = number of consecutive allowed shifts starting at ``s``."""
    out = [0] * (len(allowed) + 1)
    for s in range(len(allowed) - 1, -1, -1):
        out[s] = out[s + 1] + 1 if allowed[s] else 0
    return out[:-1]


def pinned_occupancy(instance: Instance) -> dict[str, list[bool]]:
    """Per beamline, the shifts held by pinned pieces (with the changeover after each)."""
    horizon = instance.horizon
    occupied = {b.code: [False] * horizon for b in instance.beamlines}
    gaps = {b.code: b.changeover for b in instance.beamlines}
    for pin in instance.pins:
        row = occupied.get(pin.beamline)
        if row is None:
            continue
        for start, length in pin.pieces:
            for s in range(max(0, start), min(horizon, start + length + gaps[pin.beamline])):
                row[s] = True
    return occupied

"""The baseline: awards in rank order (score, then id), each at the first place it fits."""

from __future__ import annotations

from .instance import Award, Instance, Placement, allowed_mask, pinned_occupancy


def _caps_room(instance: Instance) -> dict[tuple[str, str], int]:
    room = {(c.cls, c.beamline): c.max_shifts for c in instance.caps}
    awards = {a.id: a for a in instance.awards}
    for pin in instance.pins:
        award = awards.get(pin.award)
        if award is None:
            continue
        for cls in award.classes:
            if (cls, pin.beamline) in room:
                room[(cls, pin.beamline)] -= sum(length for _, length in pin.pieces)
    return room


def _fits_caps(room: dict[tuple[str, str], int], award: Award, beamline: str) -> bool:
    return all(room.get((cls, beamline), award.shifts) >= award.shifts for cls in award.classes)


def _contiguous(
    award: Award, allowed: list[bool], occupied: list[bool], gap: int, order: list[int]
) -> list[tuple[int, int]] | None:
    n, horizon = award.shifts, len(allowed)
    for t in order:
        if t + n > horizon:
            continue
        if all(allowed[s] for s in range(t, t + n)) and not any(
            occupied[s] for s in range(t, min(horizon, t + n + gap))
        ):
            return [(t, n)]
    return None


def _split(
    award: Award, allowed: list[bool], occupied: list[bool], gap: int
) -> list[tuple[int, int]] | None:
    horizon, need, piece = len(allowed), award.shifts, award.piece
    pieces: list[tuple[int, int]] = []
    s = 0
    while s < horizon and need > 0:
        # longest piece starting at s: allowed shifts, free including the changeover after it
        length = 0
        while (
            s + length < horizon
            and allowed[s + length]
            and not any(occupied[u] for u in range(s + length, min(horizon, s + length + 1 + gap)))
        ):
            length += 1
        take = min(length, need)
        if 0 < need - take < piece:
            take = need - piece
        if take >= piece:
            pieces.append((s, take))
            need -= take
            s += take + gap
        else:
            s += max(1, length)
    return pieces if need == 0 else None


def greedy(instance: Instance) -> list[Placement]:
    """Rank order (higher score first), first fit: preferred dates first, then the earliest
    start, beamlines in the award's order. Pins are kept as they are."""
    pinned = {p.award for p in instance.pins}
    ranked = sorted(
        (a for a in instance.awards if a.id not in pinned), key=lambda a: (-a.score, a.id)
    )
    return first_fit(instance, ranked)


def first_fit(instance: Instance, ranked: list[Award]) -> list[Placement]:
    """The pins, then ``ranked`` in that order, each at the first place it fits."""
    occupied = pinned_occupancy(instance)
    room = _caps_room(instance)
    beamlines = {b.code: b for b in instance.beamlines}
    placements = [
        Placement(award=p.award, beamline=p.beamline, pieces=list(p.pieces)) for p in instance.pins
    ]
    for award in ranked:
        order = list(range(instance.horizon))
        if award.preferred is not None:
            lo, hi = award.preferred
            inside = [t for t in order if lo <= t and t + award.shifts <= hi]
            chosen = set(inside)
            order = inside + [t for t in order if t not in chosen]
        for code in award.beamlines:
            beamline = beamlines.get(code)
            if beamline is None or not _fits_caps(room, award, code):
                continue
            allowed = allowed_mask(instance, award, beamline)
            if award.contiguous:
                pieces = _contiguous(award, allowed, occupied[code], beamline.changeover, order)
            else:
                pieces = _split(award, allowed, occupied[code], beamline.changeover)
            if pieces is None:
                continue
            for start, length in pieces:
                end = min(instance.horizon, start + length + beamline.changeover)
                for s in range(start, end):
                    occupied[code][s] = True
            for cls in award.classes:
                if (cls, code) in room:
                    room[(cls, code)] -= award.shifts
            placements.append(Placement(award=award.id, beamline=code, pieces=pieces))
            break
    return placements


def value(instance: Instance, placements: list[Placement]) -> int:
    awards = {a.id: a for a in instance.awards}
    return sum(awards[p.award].value for p in placements)


def by_award(placements: list[Placement]) -> dict[int, Placement]:
    out: dict[int, Placement] = {}
    for p in placements:
        out[p.award] = p
    return out

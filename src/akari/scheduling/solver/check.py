"""An independent checker of a schedule against the hard constraints of its instance.

Written apart from the models (it re-reads the instance, not the solver's variables), so the
tests and the benchmark can trust a schedule only after :func:`violations` returns nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .instance import Instance, Placement


def violations(instance: Instance, placements: Iterable[Placement]) -> list[str]:
    """Every broken hard constraint, in words (empty list: the schedule is valid)."""
    problems: list[str] = []
    awards = {a.id: a for a in instance.awards}
    beamlines = {b.code: b for b in instance.beamlines}
    pins = {p.award: p for p in instance.pins}
    used: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # (start, end+gap, award)
    usage: dict[tuple[str, str], int] = defaultdict(int)
    seen: set[int] = set()
    for placement in placements:
        award = awards.get(placement.award)
        if award is None:
            problems.append(f"unknown award {placement.award}")
            continue
        if award.id in seen:
            problems.append(f"{award.label}: placed twice")
        seen.add(award.id)
        beamline = beamlines.get(placement.beamline)
        if beamline is None or placement.beamline not in award.beamlines:
            problems.append(f"{award.label}: beamline {placement.beamline} cannot serve it")
            continue
        pin = pins.get(award.id)
        # A pin is the staff's decision: its own rules were checked when it was set.
        if pin is not None and (
            pin.beamline != placement.beamline or sorted(pin.pieces) != sorted(placement.pieces)
        ):
            problems.append(f"{award.label}: pinned block moved")
        if placement.shifts != award.shifts:
            problems.append(f"{award.label}: {placement.shifts} shifts, not {award.shifts}")
        if award.contiguous and len(placement.pieces) != 1:
            problems.append(f"{award.label}: split although contiguous")
        for start, length in placement.pieces:
            end = start + length
            if length < 1 or start < 0 or end > instance.horizon:
                problems.append(f"{award.label}: piece [{start}, {end}) outside the period")
                continue
            if pin is None:
                if not award.contiguous and length < award.piece:
                    problems.append(f"{award.label}: piece of {length} shifts is too short")
                for s in range(start, end):
                    if not any(a <= s < b for a, b in beamline.available):
                        problems.append(f"{award.label}: shift {s} is not user time")
                        break
                    if award.windows and not any(a <= s < b for a, b in award.windows):
                        problems.append(f"{award.label}: shift {s} outside its windows")
                        break
                    if any(a <= s < b for a, b in award.blackouts):
                        problems.append(f"{award.label}: shift {s} in a blackout")
                        break
            used[beamline.code].append((start, end + beamline.changeover, award.id))
            for cls in award.classes:
                usage[(cls, beamline.code)] += length
    for code, pieces in used.items():
        pieces.sort()
        gap = beamlines[code].changeover
        reach, owner = -1, -1
        for start, end, award_id in pieces:
            if start < reach and not (award_id == owner and start >= reach - gap):
                problems.append(f"{code}: awards {owner} and {award_id} overlap at shift {start}")
            if end > reach:
                reach, owner = end, award_id
    for cap in instance.caps:
        if usage[(cap.cls, cap.beamline)] > cap.max_shifts:
            problems.append(
                f"{cap.beamline}: {usage[(cap.cls, cap.beamline)]} shifts of {cap.cls} "
                f"> cap {cap.max_shifts}"
            )
    return problems

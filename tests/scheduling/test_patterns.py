"""Stretch patterns: the configuration LP's pricing, its bound and the dives through it."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akari.scheduling.solver import Award, Beamline, Cap, Instance, patterns, violations
from akari.scheduling.solver import bound as lp
from akari.scheduling.solver.formulation import build
from akari.scheduling.solver.greedy import _caps_room, value
from akari.scheduling.solver.instance import pinned_occupancy
from akari.scheduling.solver.schedule import _configuration, solve


def award(id, shifts, score, beamlines=("BL01",), **kw):
    return Award(id=id, label=f"P{id}", beamlines=beamlines, shifts=shifts, score=score, **kw)


def instance(awards, *, lines=None, caps=(), pins=()):
    lines = lines or (
        Beamline(code="BL01", available=((0, 9), (10, 19), (21, 30)), changeover=1),
        Beamline(code="BL02", available=((0, 14), (16, 30)), changeover=0),
    )
    return Instance(
        horizon=30, beamlines=tuple(lines), awards=tuple(awards), caps=tuple(caps), pins=pins
    )


def model_of(inst):
    codes = {b.code for b in inst.beamlines}
    return patterns.Model(inst, list(inst.awards), codes, pinned_occupancy(inst), _caps_room(inst))


def brute_best(model, si, y):
    """Every pattern of a stretch by enumeration: the best reduced cost (repeats of a
    contiguous award excluded), for comparison with the pricing's search."""
    st_ = model.stretches[si]
    w = model._weights(st_, y)
    cands = list(range(len(st_.award)))
    best = 0.0

    def extend(t, value, used):
        nonlocal best
        best = max(best, value)
        for c in cands:
            if st_.t[c] < t:
                continue
            a = int(st_.award[c])
            if not model.is_split[a] and a in used:
                continue
            extend(int(st_.nxt[c]), value + w[c], used | {a})

    extend(st_.start, 0.0, frozenset())
    return best


def random_duals(rng: random.Random, model) -> np.ndarray:
    """Duals of the master's rows with the right signs (award rows >= 0), at random."""
    y = np.array([rng.uniform(-200, 600) for _ in range(model.n_rows)])
    y[: model.n_award_rows] = np.abs(y[: model.n_award_rows])
    return y


def random_instance(rng: random.Random, n: int) -> Instance:
    awards = []
    for i in range(1, n + 1):
        split = rng.random() < 0.4
        awards.append(
            award(
                i,
                rng.randint(3, 9),
                rng.randint(100, 500),
                beamlines=rng.choice((("BL01",), ("BL02",), ("BL01", "BL02"))),
                contiguous=not split,
                min_piece=3,
                blackouts=((rng.randrange(30), rng.randrange(30)),) if rng.random() < 0.3 else (),
                classes=("capped",) if rng.random() < 0.3 else (),
            )
        )
    caps = (Cap(cls="capped", beamline="BL01", max_shifts=10),)
    return instance(awards, caps=caps)


def test_stretches_are_the_runs_of_free_user_time():
    inst = instance([award(1, 4, 100)])
    model = model_of(inst)

    found = [(s.code, s.start, s.end) for s in model.stretches]

    assert found == [
        ("BL01", 0, 9),
        ("BL01", 10, 19),
        ("BL01", 21, 30),
        ("BL02", 0, 14),
        ("BL02", 16, 30),
    ]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_pricing_finds_the_best_pattern_of_every_stretch(seed):
    rng = random.Random(seed)
    inst = random_instance(rng, 7)
    model = model_of(inst)
    y = random_duals(rng, model)

    for si, stretch in enumerate(model.stretches):
        if not len(stretch.award):
            continue
        upper, best, items = model._best(si, stretch, y)
        assert best == pytest.approx(brute_best(model, si, y), abs=1e-6)
        assert upper == pytest.approx(best, abs=1e-6)  # exact here (no budget cut)
        contiguous = [a for a, _, _ in items if not model.is_split[a]]
        assert len(contiguous) == len(set(contiguous))


def test_a_repeated_award_is_searched_away():
    # one high-value 3-shift award would fill the 9-shift stretch three times if repeats were
    # allowed: the pattern takes it once and the next best twice
    inst = instance(
        [award(1, 3, 500), award(2, 3, 200), award(3, 3, 100)],
        lines=(Beamline(code="BL01", available=((0, 9),)),),
    )
    model = model_of(inst)

    _upper, best, items = model._best(0, model.stretches[0], np.zeros(model.n_rows))

    assert best == pytest.approx(1500 + 600 + 300)
    assert sorted(a for a, _, _ in items) == [0, 1, 2]


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_configuration_bound_lies_between_the_optimum_and_the_time_indexed_lp(seed):
    rng = random.Random(seed)
    inst = random_instance(rng, 9)
    occupied, room = pinned_occupancy(inst), _caps_room(inst)
    codes = {"BL01", "BL02"}

    bound, _kind, dived = _configuration(inst, list(inst.awards), codes, occupied, room, 60)
    relaxed = lp.relax(build(inst, list(inst.awards), codes, occupied, room))
    best = solve(inst, time_limit=5.0, workers=1, seed=0, with_lp_bound=False)

    assert violations(inst, dived) == []
    assert value(inst, dived) <= best.objective or best.status != "optimal"
    if best.status == "optimal":
        assert best.objective <= bound + 1e-6
    assert bound <= relaxed.bound + 1e-6


def test_the_configuration_bound_proves_the_optimum_of_a_packing():
    # stretches of 9 shifts, awards of 5: one per stretch fits
    lines = (Beamline(code="BL01", available=((0, 9), (10, 19))),)
    inst = instance([award(i, 5, 100) for i in range(1, 6)], lines=lines)
    occupied, room = pinned_occupancy(inst), _caps_room(inst)

    bound, kind, dived = _configuration(inst, list(inst.awards), {"BL01"}, occupied, room, 60)
    relaxed = lp.relax(build(inst, list(inst.awards), {"BL01"}, occupied, room))

    assert kind == "configuration"
    assert bound == pytest.approx(1000)  # two awards: the optimum
    assert bound <= relaxed.bound + 1e-6
    assert value(inst, dived) == 1000


def test_a_dive_completes_split_awards_and_respects_caps_and_changeover():
    awards = [
        award(1, 8, 300, contiguous=False, min_piece=3),
        award(2, 7, 250, contiguous=False, min_piece=3, classes=("capped",)),
        award(3, 6, 200, beamlines=("BL01", "BL02")),
        award(4, 4, 150, classes=("capped",)),
        award(5, 9, 120),
    ]
    inst = instance(awards, caps=(Cap(cls="capped", beamline="BL01", max_shifts=7),))
    model = model_of(inst)
    patterns.generate(model, iterations=50, wall_limit=60)

    for threshold, complete in itertools.product((0.3, 0.5, 0.99), (True, False)):
        fixed = patterns.dive(model, threshold=threshold, complete=complete, wall_limit=60)
        schedule = patterns.start_schedule(inst, model, fixed, list(inst.awards))
        assert violations(inst, schedule) == []
        model.reset()
        assert not model.fixed_stretches


def test_solve_reports_the_configuration_bound():
    rng = random.Random(5)
    inst = random_instance(rng, 12)

    result = solve(inst, time_limit=3.0, workers=1, seed=0)

    assert result.bound_kind == "configuration"
    assert result.objective <= result.bound + 1e-6
    assert violations(inst, result.placements) == []


def test_a_dive_keeps_the_patterns_it_is_given_first():
    rng = random.Random(11)
    inst = random_instance(rng, 10)
    model = model_of(inst)
    patterns.generate(model, iterations=50, wall_limit=60)
    first = patterns.start_schedule(
        inst, model, patterns.dive(model, wall_limit=60), list(inst.awards)
    )
    model.reset()
    keep = [p for p in model.patterns_of(first) if model.stretches[p.stretch].start < 15]

    fixed = patterns.dive(model, wall_limit=60, prefix=keep)
    again = patterns.start_schedule(inst, model, fixed, list(inst.awards))

    kept = {(model.awards[a].id, t, n) for p in keep for a, t, n in p.items}
    placed = {(p.award, t, n) for p in again for t, n in p.pieces}
    contiguous = {k for k in kept if inst.awards[k[0] - 1].contiguous}
    assert contiguous <= placed
    assert violations(inst, again) == []


def test_merge_pieces_joins_adjacent_pieces_in_time_order() -> None:
    from akari.scheduling.solver.instance import merge_pieces

    assert merge_pieces([(10, 3), (0, 4), (4, 2), (13, 5), (20, 3)]) == [
        (0, 6),
        (10, 8),
        (20, 3),
    ]
    assert merge_pieces([]) == []

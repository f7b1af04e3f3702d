"""The pattern-pool neighbourhood search (:mod:`akari.scheduling.solver.pool`)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akari.scheduling.solver import Beamline, Instance, Placement, patterns, pool, violations
from akari.scheduling.solver.greedy import greedy, value

from .test_patterns import (
    award,
    brute_best,
    instance,
    model_of,
    random_duals,
    random_instance,
)


def converged(inst):
    model = model_of(inst)
    bound, _lp, _it, ok = patterns.generate(model, iterations=100, wall_limit=60)
    assert ok
    return model, bound


def one_line(awards, available):
    return Instance(
        horizon=max(e for _s, e in available),
        beamlines=(Beamline(code="BL01", available=available, changeover=0),),
        awards=tuple(awards),
    )


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_through_patterns_are_feasible_and_priced_right(seed):
    rng = random.Random(seed)
    inst = random_instance(rng, 7)
    model = model_of(inst)
    y = random_duals(rng, model)

    for si, stretch in enumerate(model.stretches):
        if not len(stretch.award):
            continue
        found = pool.through_patterns(model, si, y, delta=300.0, limit=50)
        weights = model._weights(stretch, y)
        candidates = {
            (int(stretch.award[c]), int(stretch.t[c]), int(stretch.length[c])): c
            for c in range(len(stretch.award))
        }
        best = brute_best(model, si, y) - y[model.stretch_row0 + si]
        keys = set()
        for p in found:
            assert p.stretch == si
            t = stretch.start
            for item in p.items:  # in time order, each a candidate, none overlapping
                c = candidates[item]
                assert item[1] >= t
                t = int(stretch.nxt[c])
            contiguous = [a for a, _, _ in p.items if not model.is_split[a]]
            assert len(contiguous) == len(set(contiguous))
            reduced = sum(weights[candidates[i]] for i in p.items) - y[model.stretch_row0 + si]
            assert reduced >= -300.0 - 1e-6
            # never better than the best pattern of the stretch
            assert reduced <= best + 1e-6
            keys.add(tuple(sorted((a, n) for a, _, n in p.items)))
        assert len(keys) == len(found) <= 50  # distinct by awards and lengths


def test_every_award_that_may_pay_appears_in_some_pattern():
    # the best pattern of the stretch takes awards 1 and 2; award 3 loses 100 against it but
    # stays within the reduced cost allowed, so a pattern through it is listed too
    inst = one_line([award(1, 5, 110), award(2, 4, 110), award(3, 6, 140)], ((0, 9),))
    model = model_of(inst)
    y = np.zeros(model.n_rows)
    y[model.stretch_row0] = 990.0  # the stretch's dual: its best pattern prices at 0

    found = pool.through_patterns(model, 0, y, delta=200.0, limit=10)

    assert {frozenset(a for a, _, _ in p.items) for p in found} == {
        frozenset({0, 1}),
        frozenset({2}),
    }
    assert pool.through_patterns(model, 0, y, delta=50.0, limit=10)[0].items[0][0] in (0, 1)


def test_search_repairs_a_greedy_packing():
    # greedy takes the best-scored award first (6 shifts) and wastes 3 shifts; the optimum
    # is the two others (990 against 840)
    inst = one_line([award(1, 6, 140), award(2, 5, 110), award(3, 4, 110)], ((0, 9),))
    model, bound = converged(inst)
    start = greedy(inst)
    assert value(inst, start) == 840

    found = pool.search(inst, model, list(inst.awards), start, bound=bound)

    assert value(inst, found) == 990 == pytest.approx(bound)
    assert violations(inst, found) == []


def test_a_neighbourhood_frees_every_stretch_of_a_split_award(monkeypatch):
    # a split award in both stretches: drawing one stretch frees the other too, so the award
    # can leave the schedule for the two 9-shift awards (2520 against 2300)
    inst = one_line(
        [
            award(1, 8, 100, contiguous=False, min_piece=3),
            award(2, 5, 150),
            award(3, 5, 150),
            award(4, 9, 140),
            award(5, 9, 140),
        ],
        ((0, 9), (10, 19)),
    )
    start = [
        Placement(award=1, beamline="BL01", pieces=[(0, 4), (10, 4)]),
        Placement(award=2, beamline="BL01", pieces=[(4, 5)]),
        Placement(award=3, beamline="BL01", pieces=[(14, 5)]),
    ]
    assert violations(inst, start) == []
    model, bound = converged(inst)
    current = model.patterns_of(start)

    monkeypatch.setattr(pool, "POOL_SEEDS", 1)
    assert pool._neighbourhood(model, current, random.Random(0), [0, 1]) == {0, 1}
    found = pool.search(inst, model, list(inst.awards), start, bound=bound)

    assert value(inst, found) == 2520
    assert {p.award for p in found} == {4, 5}
    assert violations(inst, found) == []


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_search_is_never_worse_valid_and_deterministic(seed):
    rng = random.Random(seed)
    inst = random_instance(rng, 14)
    start = greedy(inst)
    runs = []
    for _ in range(2):
        model, bound = converged(inst)
        found = pool.search(inst, model, list(inst.awards), start, rounds=6, bound=bound)
        assert violations(inst, found) == []
        assert value(inst, start) <= value(inst, found) <= bound + 1e-6
        runs.append(sorted((p.award, p.beamline, tuple(p.pieces)) for p in found))
    assert runs[0] == runs[1]


def test_the_model_is_left_reset():
    inst = instance([award(1, 4, 100), award(2, 5, 100, contiguous=False, min_piece=3)])
    model, _bound = converged(inst)
    lp_before = model.solve_lp(10)[0]

    pool.search(inst, model, list(inst.awards), greedy(inst), rounds=3, bound=float("inf"))

    assert not model.fixed_stretches
    assert not any(b.any() for b in model.banned.values())
    assert model.solve_lp(10)[0] == pytest.approx(lp_before)

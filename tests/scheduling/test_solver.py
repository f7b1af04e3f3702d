"""The pure scheduling solver on small hand-made instances with known optima."""

from __future__ import annotations

from dataclasses import replace

from akari.scheduling.solver import (
    BLACKOUTS,
    CAP,
    CAPACITY,
    NO_WINDOW,
    WINDOWS,
    Award,
    Beamline,
    Cap,
    Instance,
    Pin,
    Placement,
    greedy,
    solve,
    violations,
)

FAST = {"time_limit": 5.0, "workers": 1, "seed": 0}


def instance(*awards: Award, available=((0, 10),), changeover=0, horizon=None, caps=(), pins=()):
    end = horizon or max(e for _, e in available)
    return Instance(
        horizon=end,
        beamlines=(Beamline(code="BL01", available=tuple(available), changeover=changeover),),
        awards=tuple(awards),
        caps=tuple(caps),
        pins=tuple(pins),
    )


def award(id, shifts, score, **kw):
    return Award(id=id, label=f"P{id}", beamlines=("BL01",), shifts=shifts, score=score, **kw)


def test_known_optimum_beats_rank_order_greedy():
    inst = instance(award(1, 6, 5), award(2, 5, 4), award(3, 5, 4))

    result = solve(inst, **FAST)

    assert result.objective == 40  # awards 2 and 3, not the top-ranked 1
    assert result.greedy == 30
    assert {p.award for p in result.placements} == {2, 3}
    assert result.bound == 40
    assert result.ratio_bound == 1.0
    assert result.status == "optimal"
    assert violations(inst, result.placements) == []


def test_never_over_maintenance():
    inst = instance(award(1, 5, 1), available=((0, 4), (6, 12)))

    result = solve(inst, **FAST)

    [placement] = result.placements
    assert placement.pieces == [(6, 5)] or placement.pieces == [(7, 5)]
    assert violations(inst, result.placements) == []


def test_blackouts_windows_and_preferred_dates():
    inst = instance(
        award(1, 3, 1, blackouts=((0, 4),), windows=((0, 8),), preferred=(5, 8)),
        available=((0, 20),),
    )

    result = solve(inst, **FAST)

    assert result.placements[0].pieces == [(5, 3)]
    assert result.preferred_met == 1


def test_changeover_gap_between_experiments():
    two = (award(1, 5, 1), award(2, 5, 1))
    assert len(solve(instance(*two, available=((0, 11),), changeover=1), **FAST).placements) == 2
    tight = solve(instance(*two, available=((0, 10),), changeover=1), **FAST)
    assert len(tight.placements) == 1


def test_split_award_comes_in_pieces_of_at_least_min_piece():
    inst = instance(
        award(1, 6, 1, contiguous=False, min_piece=3), available=((0, 3), (5, 8), (9, 10))
    )

    result = solve(inst, **FAST)

    assert result.placements[0].pieces == [(0, 3), (5, 3)]
    assert result.fragments == 2
    assert violations(inst, result.placements) == []


def test_caps_limit_a_class_and_explanations_name_them():
    capped = ("priority",)
    inst = instance(
        award(1, 4, 3, classes=capped),
        award(2, 4, 2, classes=capped),
        award(3, 6, 1, classes=capped),
        available=((0, 20),),
        caps=(Cap(cls="priority", beamline="BL01", max_shifts=5),),
    )

    result = solve(inst, **FAST)

    assert [p.award for p in result.placements] == [1]
    reasons = {u.award: u.reason for u in result.unplaced}
    assert reasons == {2: CAPACITY, 3: CAP}
    assert violations(inst, result.placements) == []


def test_explanations_for_hard_constraints():
    inst = instance(
        award(1, 9, 1),  # longest user-time run is 8
        award(2, 4, 1, blackouts=((0, 6),)),
        award(3, 4, 1, windows=((0, 5),)),
        available=((0, 8), (10, 16)),
    )
    inst = replace(
        inst,
        awards=(
            inst.awards[0],
            replace(inst.awards[1], blackouts=((0, 6), (10, 14))),
            replace(inst.awards[2], windows=((0, 3),)),
        ),
    )

    reasons = {u.award: (u.reason, u.until) for u in solve(inst, **FAST).unplaced}

    assert reasons == {1: (NO_WINDOW, None), 2: (BLACKOUTS, None), 3: (WINDOWS, 3)}


def test_reoptimise_around_pinned_blocks():
    inst = instance(award(1, 6, 5), award(2, 5, 4), award(3, 4, 4), available=((0, 15),))
    pinned = replace(inst, pins=(Pin(award=1, beamline="BL01", pieces=((4, 6),)),))

    result = solve(pinned, **FAST)

    by_award = {p.award: p.pieces for p in result.placements}
    assert by_award[1] == [(4, 6)]
    assert by_award[3] == [(0, 4)]  # only the 4-shift award fits before the pin
    assert 2 in by_award and by_award[2][0][0] >= 10
    assert violations(pinned, result.placements) == []


def test_checker_finds_every_broken_rule():
    inst = instance(
        award(1, 4, 1, blackouts=((0, 2),)),
        award(2, 4, 1),
        available=((0, 6), (7, 12)),
        caps=(),
    )
    bad = [
        Placement(award=1, beamline="BL01", pieces=[(0, 4)]),
        Placement(award=2, beamline="BL01", pieces=[(3, 5)]),
    ]

    problems = violations(inst, bad)

    assert any("blackout" in p for p in problems)
    assert any("not 4" in p for p in problems)
    assert any("overlap" in p for p in problems)
    assert any("not user time" in p for p in problems)


def test_deterministic_and_never_below_greedy():
    awards = [award(i, 2 + (i * 7) % 9, 100 + (i * 37) % 400) for i in range(1, 25)]
    inst = instance(*awards, available=((0, 30), (33, 60), (62, 90)))

    first = solve(inst, time_limit=3.0, workers=1, seed=3)
    second = solve(inst, time_limit=3.0, workers=1, seed=3)

    assert first.placements == second.placements
    assert first.objective >= sum(
        a.value for a in inst.awards if a.id in {p.award for p in greedy(inst)}
    )
    assert first.objective <= first.bound
    assert violations(inst, first.placements) == []


def test_instance_json_round_trip():
    inst = instance(
        award(1, 4, 3, blackouts=((0, 2),), preferred=(2, 9), classes=("x",)),
        caps=(Cap(cls="x", beamline="BL01", max_shifts=5),),
        pins=(Pin(award=1, beamline="BL01", pieces=((3, 4),)),),
    )

    assert Instance.from_json(inst.to_json()) == inst


def test_neighbourhood_search_improves_a_schedule_and_keeps_it_valid():
    from akari.scheduling.solver.schedule import improve

    inst = instance(award(1, 6, 5), award(2, 5, 4), award(3, 5, 4), award(4, 3, 1))
    start = greedy(inst)

    better = improve(inst, list(inst.awards), {"BL01"}, start, budget=2.0, workers=1, seed=0)

    assert {p.award for p in better} == {2, 3}
    assert violations(inst, better) == []


def test_a_time_limited_lp_still_gives_a_proven_bound():
    inst = instance(award(1, 6, 5), award(2, 5, 4), award(3, 5, 4), available=((0, 10),))

    result = solve(inst, lp_time_limit=0.0, **FAST)

    # the Lagrangian bound of the configuration LP's first duals (valid at any iteration)
    assert result.bound_lp is not None and result.bound_lp >= 40
    assert result.objective == 40 and result.bound == 40  # CP-SAT proved its optimum


def test_lagrangian_bound_equals_the_lp_optimum_and_bounds_every_schedule():
    from akari.scheduling.solver import bound
    from akari.scheduling.solver.formulation import build
    from akari.scheduling.solver.greedy import _caps_room
    from akari.scheduling.solver.instance import pinned_occupancy

    awards = [award(i, 2 + (i * 5) % 7, 100 + (i * 37) % 400) for i in range(1, 13)]
    awards += [
        award(20, 7, 300, contiguous=False, min_piece=3),
        award(21, 6, 250, contiguous=False, min_piece=3, blackouts=((10, 20),)),
    ]
    inst = instance(*awards, available=((0, 19), (21, 40), (42, 60)), changeover=1)
    form = build(inst, list(inst.awards), {"BL01"}, pinned_occupancy(inst), _caps_room(inst))

    relaxed = bound.relax(form, time_limit=30)
    result = solve(inst, time_limit=5.0, workers=1, seed=0)

    assert relaxed.optimal
    assert abs(relaxed.bound - sum(c * x for c, x in zip(form.primary, relaxed.values))) < 1e-3
    assert result.objective <= relaxed.bound + 1e-6
    assert violations(inst, result.placements) == []


def test_deterministic_with_two_workers_over_components():
    lines = (
        Beamline(code="BL01", available=((0, 30), (33, 60)), changeover=0),
        Beamline(code="BL02", available=((0, 25), (28, 60)), changeover=1),
    )
    awards = [
        Award(
            id=i,
            label=f"P{i}",
            beamlines=("BL01",) if i % 2 else ("BL02",),
            shifts=2 + (i * 7) % 9,
            score=100 + (i * 37) % 400,
            contiguous=i % 5 != 0,
        )
        for i in range(1, 31)
    ]
    inst = Instance(horizon=60, beamlines=lines, awards=tuple(awards))

    first = solve(inst, time_limit=3.0, workers=2, seed=5)
    second = solve(inst, time_limit=3.0, workers=2, seed=5)

    assert first.components == 2
    assert first.placements == second.placements
    assert first.objective >= first.greedy
    assert violations(inst, first.placements) == []

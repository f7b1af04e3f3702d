"""The proposed allocation (a pure function): caps, availability, granularity, ranking order."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from akari.selection.allocation import (
    Action,
    Breach,
    Candidate,
    Decided,
    Limits,
    Reason,
    Usage,
    allocate,
    breaches,
    largest_award,
    room,
)


def test_limits_from_policy_round_caps_down_to_whole_units():
    # given 33 shifts, caps of 40% and 20%
    limits = Limits.from_policy(available=33, capped_percent=40, group_percent=20)
    # then 13.2 -> 13 and 6.6 -> 6
    assert (limits.capped_max, limits.group_max) == (13, 6)


def test_limits_without_caps_have_none():
    limits = Limits.from_policy(available=30, capped_percent=None, group_percent=None)
    assert (limits.capped_max, limits.group_max) == (None, None)


def test_requests_that_fit_are_awarded_in_full_with_a_running_total():
    limits = Limits(available=20)
    candidates = [Candidate("a", 6, group="g1"), Candidate("b", 9, group="g2")]
    result = allocate(candidates, limits)
    assert [(s.key, s.action, s.units, s.reason, s.running_total) for s in result] == [
        ("a", Action.AWARD, 6, Reason.FITS, 6),
        ("b", Action.AWARD, 9, Reason.FITS, 15),
    ]


def test_when_beamtime_runs_out_the_next_is_partially_awarded_then_waitlisted():
    limits = Limits(available=10)
    candidates = [
        Candidate("a", 6, group=1),
        Candidate("b", 6, group=2),
        Candidate("c", 3, group=3),
    ]
    result = allocate(candidates, limits)
    assert [(s.action, s.units, s.reason) for s in result] == [
        (Action.AWARD, 6, Reason.FITS),
        (Action.AWARD, 4, Reason.AVAILABILITY),
        (Action.WAITLIST, 0, Reason.AVAILABILITY),
    ]
    assert result[1].partial and not result[0].partial


def test_partial_awards_respect_the_granularity_or_waitlist():
    # given NanoTerasu-like granularity: at least 3, in multiples of 3
    limits = Limits(available=14, min_units=3, unit_multiple=3)
    candidates = [
        Candidate("a", 9, group=1),
        Candidate("b", 9, group=2),
        Candidate("c", 3, group=3),
    ]
    result = allocate(candidates, limits)
    # then b gets 3 (5 left, rounded down to a multiple of 3), c gets nothing (2 left < 3)
    assert [(s.action, s.units) for s in result] == [
        (Action.AWARD, 9),
        (Action.AWARD, 3),
        (Action.WAITLIST, 0),
    ]


def test_without_a_waitlist_what_does_not_fit_is_rejected():
    limits = Limits(available=6, waitlist=False)
    result = allocate([Candidate("a", 6, group=1), Candidate("b", 3, group=2)], limits)
    assert [(s.action, s.reason) for s in result] == [
        (Action.AWARD, Reason.FITS),
        (Action.REJECT, Reason.AVAILABILITY),
    ]


def test_the_priority_and_proprietary_cap_binds_only_capped_routes():
    # given 40 shifts with a 40% cap (16) on capped routes
    limits = Limits.from_policy(available=40, capped_percent=40, group_percent=None)
    candidates = [
        Candidate("p1", 12, capped=True, group=1),
        Candidate("p2", 12, capped=True, group=2),
        Candidate("n1", 12, capped=False, group=3),
    ]
    result = allocate(candidates, limits)
    assert [(s.action, s.units, s.reason) for s in result] == [
        (Action.AWARD, 12, Reason.FITS),
        (Action.AWARD, 4, Reason.CAPPED_SHARE),
        (Action.AWARD, 12, Reason.FITS),
    ]


def test_the_single_group_cap_binds_per_group():
    # given 30 shifts, one group at most 20% (6)
    limits = Limits.from_policy(available=30, capped_percent=None, group_percent=20)
    candidates = [
        Candidate("a", 6, group="kyoto"),
        Candidate("b", 6, group="kyoto"),
        Candidate("c", 6, group="tohoku"),
    ]
    result = allocate(candidates, limits)
    assert [(s.action, s.units, s.reason) for s in result] == [
        (Action.AWARD, 6, Reason.FITS),
        (Action.WAITLIST, 0, Reason.GROUP_SHARE),
        (Action.AWARD, 6, Reason.FITS),
    ]


def test_not_feasible_is_suggested_for_rejection_and_uses_nothing():
    limits = Limits(available=6)
    result = allocate(
        [Candidate("a", 6, group=1, feasible=False), Candidate("b", 6, group=2)], limits
    )
    assert [(s.action, s.units, s.reason) for s in result] == [
        (Action.REJECT, 0, Reason.NOT_FEASIBLE),
        (Action.AWARD, 6, Reason.FITS),
    ]


def test_recorded_decisions_are_fixed_and_use_beamtime_first_whatever_their_rank():
    # given a lower-ranked proposal already accepted with 8 of 10 shifts
    limits = Limits(available=10)
    candidates = [
        Candidate("top", 6, group=1),
        Candidate("waiting", 6, group=2, decided=Decided(Action.WAITLIST)),
        Candidate("accepted", 8, group=3, decided=Decided(Action.AWARD, 8)),
    ]
    result = allocate(candidates, limits)
    assert [(s.key, s.action, s.units, s.reason) for s in result] == [
        ("top", Action.AWARD, 2, Reason.AVAILABILITY),
        ("waiting", Action.WAITLIST, 0, Reason.DECIDED),
        ("accepted", Action.AWARD, 8, Reason.DECIDED),
    ]
    assert [s.running_total for s in result] == [2, 2, 10]


def test_start_usage_counts_awards_outside_the_candidates():
    limits = Limits.from_policy(available=20, capped_percent=40, group_percent=None)
    start = Usage.of([(6, True, "x"), (10, False, "y")])
    result = allocate([Candidate("w", 6, capped=True, group="z")], limits, start=start)
    # 4 left in total, 2 left under the capped share (8 - 6)
    assert [(s.units, s.reason, s.running_total) for s in result] == [(2, Reason.CAPPED_SHARE, 18)]


def test_room_names_availability_on_a_tie():
    limits = Limits(available=10, capped_max=4, group_max=10)
    usage = Usage.of([(6, False, "a")])
    assert room(limits, usage, capped=True, group="b") == (4, Reason.AVAILABILITY)
    assert room(limits, usage, capped=True, group="a") == (4, Reason.AVAILABILITY)


def test_largest_award():
    limits = Limits(available=100, min_units=3, unit_multiple=3)
    assert largest_award(limits, requested=4, room=10) == 4  # the whole request always fits
    assert largest_award(limits, requested=12, room=8) == 6
    assert largest_award(limits, requested=12, room=2) == 0


def test_breaches_name_every_limit_broken():
    limits = Limits(available=10, capped_max=4, group_max=5, min_units=3, unit_multiple=3)
    usage = Usage.of([(3, True, "g"), (4, False, "h")])
    assert breaches(limits, usage, units=4, requested=6, capped=True, group="g") == [
        Breach.GRANULARITY,
        Breach.AVAILABILITY,
        Breach.CAPPED_SHARE,
        Breach.GROUP_SHARE,
    ]
    assert breaches(limits, usage, units=7, requested=6, capped=False, group="x") == [
        Breach.EXCEEDS_REQUEST,
        Breach.AVAILABILITY,
        Breach.GROUP_SHARE,
    ]
    assert breaches(limits, usage, units=0, requested=6, capped=False, group="x") == [
        Breach.NOT_POSITIVE
    ]
    assert breaches(limits, usage, units=3, requested=6, capped=False, group="x") == []


candidates_strategy = st.lists(
    st.builds(
        Candidate,
        key=st.uuids(),
        units_requested=st.integers(min_value=1, max_value=40),
        capped=st.booleans(),
        group=st.integers(min_value=0, max_value=4),
        feasible=st.booleans(),
    ),
    max_size=25,
)
limits_strategy = st.builds(
    lambda available, capped, group, granularity, waitlist: Limits.from_policy(
        available=available,
        capped_percent=capped,
        group_percent=group,
        min_units=granularity[0],
        unit_multiple=granularity[1],
        waitlist=waitlist,
    ),
    st.integers(min_value=0, max_value=200),
    st.one_of(st.none(), st.integers(min_value=1, max_value=100)),
    st.one_of(st.none(), st.integers(min_value=1, max_value=100)),
    st.sampled_from([(1, 1), (3, 3), (2, 1), (6, 3)]),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(candidates=candidates_strategy, limits=limits_strategy)
def test_the_proposed_allocation_never_breaks_a_cap_or_the_availability(candidates, limits):
    result = allocate(candidates, limits)
    by_key = {c.key: c for c in candidates}
    awarded = [(by_key[s.key], s.units) for s in result if s.action == Action.AWARD]
    total = sum(units for _, units in awarded)
    assert total <= limits.available
    if limits.capped_max is not None:
        assert sum(units for c, units in awarded if c.capped) <= limits.capped_max
    if limits.group_max is not None:
        per_group: dict[int, int] = defaultdict(int)
        for c, units in awarded:
            per_group[c.group] += units
        assert all(units <= limits.group_max for units in per_group.values())
    for candidate, units in awarded:
        assert candidate.feasible
        assert 0 < units <= candidate.units_requested
        if units != candidate.units_requested:
            assert units >= limits.min_units and units % limits.unit_multiple == 0
    assert result[-1].running_total == total if result else True
    for suggestion in result:
        candidate = by_key[suggestion.key]
        if not candidate.feasible:
            assert suggestion.action == Action.REJECT
        elif suggestion.action != Action.AWARD:
            assert suggestion.action == (Action.WAITLIST if limits.waitlist else Action.REJECT)


@settings(max_examples=200, deadline=None)
@given(candidates=candidates_strategy, limits=limits_strategy)
def test_each_award_passes_the_same_check_that_guards_overrides(candidates, limits):
    # Recording the proposed allocation row by row, in order, is never refused.
    usage = Usage()
    for candidate, suggestion in zip(candidates, allocate(candidates, limits), strict=True):
        if suggestion.action != Action.AWARD:
            continue
        found = breaches(
            limits,
            usage,
            units=suggestion.units,
            requested=candidate.units_requested,
            capped=candidate.capped,
            group=candidate.group,
        )
        assert found == []
        usage.add(units=suggestion.units, capped=candidate.capped, group=candidate.group)


@settings(max_examples=200, deadline=None)
@given(candidates=candidates_strategy, limits=limits_strategy)
def test_a_proposal_left_without_beamtime_could_not_have_had_any(candidates, limits):
    # Greedy in rank order: a feasible proposal gets nothing only when nothing aligned was left.
    usage = Usage()
    for candidate, suggestion in zip(candidates, allocate(candidates, limits), strict=True):
        if not candidate.feasible:
            continue
        space, _reason = room(limits, usage, capped=candidate.capped, group=candidate.group)
        if suggestion.action == Action.AWARD:
            usage.add(units=suggestion.units, capped=candidate.capped, group=candidate.group)
        else:
            assert largest_award(limits, requested=candidate.units_requested, room=space) == 0

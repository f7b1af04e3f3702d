"""The optimiser as a pure function: exact results on small instances, and properties."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akari.reviews.solver import (
    FIELD_WEIGHT,
    KEYWORD_WEIGHT,
    ProposalItem,
    ReviewerItem,
    expertise,
    greedy,
    keyword_set,
    normalise_keyword,
    solve,
)


def test_keywords_are_compared_after_normalisation():
    assert normalise_keyword("  ＸＡＦＳ ") == "xafs"
    assert normalise_keyword("Soft  X-ray") == "soft x-ray"
    assert keyword_set(["XAFS", "xafs", " ", "放射光"]) == frozenset({"xafs", "放射光"})


def test_expertise_is_field_match_plus_shared_keywords():
    proposal = ProposalItem(id=1, field="chem", keywords=keyword_set(["XAFS", "catalysis"]))
    reviewer = ReviewerItem(id=1, fields=frozenset({"chem"}), keywords=keyword_set(["xafs"]))
    assert expertise(proposal, reviewer) == FIELD_WEIGHT + KEYWORD_WEIGHT
    assert expertise(proposal, ReviewerItem(id=2)) == 0


def test_solver_beats_greedy_on_a_crafted_instance():
    # Greedy lets P1 (picked first: fewest candidates is a tie, lower id) take R1, its best;
    # then P2, which only R1 knows, gets R2 with no expertise. The optimum swaps them.
    proposals = [
        ProposalItem(id=1, field="a", keywords=keyword_set(["x"])),
        ProposalItem(id=2, field="b"),
    ]
    reviewers = [
        ReviewerItem(id=1, fields=frozenset({"a", "b"}), keywords=keyword_set(["x"])),
        ReviewerItem(id=2, fields=frozenset({"a"})),
    ]
    caps = {1: 1, 2: 1}
    baseline = greedy(proposals, reviewers, set(), 1, caps)
    result = solve(proposals, reviewers, set(), 1, caps, time_limit=5)
    assert baseline.pairs == frozenset({(1, 1), (2, 2)})
    assert baseline.objective == FIELD_WEIGHT + KEYWORD_WEIGHT
    assert result.pairs == frozenset({(1, 2), (2, 1)})
    assert result.objective == 2 * FIELD_WEIGHT
    assert result.status == "optimal"
    assert result.bound == result.objective
    assert result.shortfalls == ()


def test_conflicts_are_vetoed_even_when_pinned():
    proposals = [ProposalItem(id=1, field="a")]
    reviewers = [ReviewerItem(id=r, fields=frozenset({"a"})) for r in (1, 2, 3)]
    result = solve(
        proposals, reviewers, {(1, 1)}, 2, {1: 5, 2: 5, 3: 5}, pinned={(1, 1)}, time_limit=5
    )
    assert result.pairs == frozenset({(1, 2), (1, 3)})
    assert result.dropped_pins == ((1, 1),)


def test_pins_are_kept_even_when_worse():
    reviewers = [
        ReviewerItem(id=1, fields=frozenset({"a"})),
        ReviewerItem(id=2, fields=frozenset({"a"}), keywords=frozenset({"x"})),
        ReviewerItem(id=3),
    ]
    proposals = [ProposalItem(id=1, field="a", keywords=frozenset({"x"}))]
    # Best without pins: reviewers 2 and 1; the pin on reviewer 3 stays, so 1 goes.
    result = solve(proposals, reviewers, set(), 2, {1: 1, 2: 1, 3: 1}, {(1, 3)}, time_limit=5)
    assert result.pairs == frozenset({(1, 3), (1, 2)})
    assert result.objective == FIELD_WEIGHT + KEYWORD_WEIGHT


def test_panels_restrict_the_candidates():
    proposals = [ProposalItem(id=1, field="a", candidates=frozenset({2}))]
    reviewers = [ReviewerItem(id=1, fields=frozenset({"a"})), ReviewerItem(id=2)]
    result = solve(proposals, reviewers, set(), 1, {1: 1, 2: 1}, time_limit=5)
    assert result.pairs == frozenset({(1, 2)})


def test_too_few_eligible_reviewers_is_reported_with_the_best_partial_assignment():
    proposals = [ProposalItem(id=1, label="2026B0001"), ProposalItem(id=2, label="2026B0002")]
    reviewers = [ReviewerItem(id=r) for r in (1, 2, 3)]
    conflicts = {(1, 1), (1, 2)}
    result = solve(proposals, reviewers, conflicts, 2, {1: 2, 2: 2, 3: 2}, time_limit=5)
    assert result.status == "infeasible"
    assert result.reviewers_of(1) == [3]
    assert len(result.reviewers_of(2)) == 2
    (short,) = result.shortfalls
    assert (short.proposal, short.label, short.needed, short.assigned) == (1, "2026B0001", 2, 1)
    assert (short.eligible, short.conflicted, short.reason) == (1, 2, "not_enough_eligible")


def test_capacity_shortfall_is_reported_as_capacity():
    proposals = [ProposalItem(id=p) for p in (1, 2, 3)]
    reviewers = [ReviewerItem(id=1), ReviewerItem(id=2)]
    result = solve(proposals, reviewers, set(), 1, {1: 1, 2: 1}, time_limit=5)
    assert result.status == "infeasible"
    assert len(result.pairs) == 2
    (short,) = result.shortfalls
    assert (short.reason, short.eligible, short.assigned) == ("capacity", 2, 0)


def test_pins_beyond_a_cap_win_and_are_reported():
    proposals = [ProposalItem(id=p) for p in (1, 2)]
    reviewers = [ReviewerItem(id=1), ReviewerItem(id=2)]
    result = solve(proposals, reviewers, set(), 1, {1: 1, 2: 0}, {(1, 1), (2, 1)}, time_limit=5)
    assert result.pairs == frozenset({(1, 1), (2, 1)})
    assert result.over_cap == (1,)
    assert result.complete


def test_a_reviewer_missing_from_caps_gets_nothing():
    proposals = [ProposalItem(id=1)]
    reviewers = [ReviewerItem(id=1), ReviewerItem(id=2)]
    result = solve(proposals, reviewers, set(), 1, {2: 3}, time_limit=5)
    assert result.pairs == frozenset({(1, 2)})


FIELDS = ["a", "b", "c"]
WORDS = ["w1", "w2", "w3", "w4"]


@st.composite
def instances(draw):  # type: ignore[no-untyped-def]
    n_reviewers = draw(st.integers(min_value=1, max_value=7))
    n_proposals = draw(st.integers(min_value=0, max_value=8))
    k = draw(st.integers(min_value=1, max_value=3))
    reviewers = [
        ReviewerItem(
            id=r,
            fields=frozenset(draw(st.sets(st.sampled_from(FIELDS), max_size=2))),
            keywords=frozenset(draw(st.sets(st.sampled_from(WORDS), max_size=3))),
        )
        for r in range(n_reviewers)
    ]
    proposals = [
        ProposalItem(
            id=p,
            field=draw(st.sampled_from([*FIELDS, None])),
            keywords=frozenset(draw(st.sets(st.sampled_from(WORDS), max_size=3))),
        )
        for p in range(n_proposals)
    ]
    pairs = [(p.id, r.id) for p in proposals for r in reviewers]
    conflicts = draw(st.sets(st.sampled_from(pairs), max_size=len(pairs) // 3)) if pairs else set()
    caps = {r.id: draw(st.integers(min_value=0, max_value=6)) for r in reviewers}
    free = [pair for pair in pairs if pair not in conflicts]
    pinned: set[tuple[int, int]] = set()
    if free:
        for pair in draw(st.sets(st.sampled_from(free), max_size=3)):
            load = sum(1 for _, r in pinned if r == pair[1])
            per_proposal = sum(1 for p, _ in pinned if p == pair[0])
            if load < caps[pair[1]] and per_proposal < k:
                pinned.add(pair)
    return proposals, reviewers, conflicts, k, caps, pinned


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_solver_properties(instance):  # type: ignore[no-untyped-def]
    proposals, reviewers, conflicts, k, caps, pinned = instance
    result = solve(proposals, reviewers, conflicts, k, caps, pinned, time_limit=5)
    baseline = greedy(proposals, reviewers, conflicts, k, caps, pinned)
    # No conflicted pair; pins kept; caps respected; at most k per proposal.
    assert not result.pairs & conflicts
    assert pinned <= result.pairs
    for reviewer in reviewers:
        assert result.load_of(reviewer.id) <= caps[reviewer.id]
    for proposal in proposals:
        assert len(result.reviewers_of(proposal.id)) <= k
    # Every proposal gets k reviewers, unless a shortfall says which did not and why.
    short = {s.proposal for s in result.shortfalls}
    for proposal in proposals:
        if proposal.id not in short:
            assert len(result.reviewers_of(proposal.id)) == k
    assert result.complete == (result.status == "optimal")
    # Never fewer assignments than the greedy baseline, and never less expertise when both are
    # complete.
    assert len(result.pairs) >= len(baseline.pairs)
    if result.complete and baseline.complete:
        assert result.objective >= baseline.objective
    assert result.objective == sum(expertise(proposals[p], reviewers[r]) for p, r in result.pairs)


@settings(max_examples=30, deadline=None)
@given(instances())
def test_a_feasible_instance_is_solved_completely(instance):  # type: ignore[no-untyped-def]
    proposals, reviewers, _conflicts, k, _caps, _pinned = instance
    # Enough reviewers with enough capacity and no conflicts: always complete.
    if len(reviewers) < k:
        return
    caps = {r.id: len(proposals) for r in reviewers}
    result = solve(proposals, reviewers, set(), k, caps, time_limit=5)
    assert result.complete
    assert all(len(result.reviewers_of(p.id)) == k for p in proposals)

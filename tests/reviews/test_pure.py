"""Co-author matching and score normalisation (pure functions)."""

from __future__ import annotations

import math

import pytest

from akari.reviews.conflicts import PersonNames, author_names_person, coauthor_lines
from akari.reviews.scoring import Score, means, normalise, verdict_rank

HANA = PersonNames(family="Sato", given="Hanako", family_ja="佐藤", given_ja="花子")


@pytest.mark.parametrize(
    "line",
    [
        "Hanako Sato",
        "hanako sato",
        "SATO Hanako",
        "Sato, Hanako",
        "H. Sato",
        "H Sato",
        "Sato, H.",
        "Hanako K. Sato",
        "Ｈａｎａｋｏ　Ｓａｔｏ",
        "Hanako Sato*",
        "Hanako Sato1,2",
        "佐藤 花子",
        "佐藤花子",
        "佐藤　花子",
    ],
)
def test_author_lines_that_name_the_reviewer(line):
    assert author_names_person(line, HANA)


@pytest.mark.parametrize(
    "line",
    ["Hanako Suzuki", "Taro Sato", "T. Sato", "Sato", "佐藤", "佐藤 太郎", "Satoh Hanako", ""],
)
def test_author_lines_that_do_not(line):
    assert not author_names_person(line, HANA)


def test_a_person_without_names_matches_nothing():
    assert not author_names_person("Sato Hanako", PersonNames())


def test_coauthor_lines_lists_the_matching_lines():
    authors = "Taro Yamada\nH. Sato\n\n鈴木 一郎\n"
    assert coauthor_lines(authors, HANA) == ["H. Sato"]


def test_normalisation_is_a_z_score_per_reviewer():
    scores = [Score(1, 10, 4), Score(2, 10, 6), Score(3, 10, 8), Score(1, 20, 9)]
    z = normalise(scores, higher_is_better=True)
    sd = math.sqrt(8 / 3)
    assert z[(1, 10)] == pytest.approx(-2 / sd)
    assert z[(2, 10)] == pytest.approx(0.0)
    assert z[(3, 10)] == pytest.approx(2 / sd)
    # One review only: mean-centred, 0.
    assert z[(1, 20)] == 0.0


def test_a_reviewer_giving_the_same_score_everywhere_counts_zero():
    z = normalise([Score(1, 10, 7), Score(2, 10, 7)], higher_is_better=True)
    assert z == {(1, 10): 0.0, (2, 10): 0.0}


def test_lower_is_better_flips_the_sign():
    z = normalise([Score(1, 10, 1), Score(2, 10, 3)], higher_is_better=False)
    assert z == {(1, 10): 1.0, (2, 10): -1.0}


def test_means_per_proposal():
    scores = [Score(1, 10, 4), Score(1, 20, 8), Score(2, 10, 6)]
    z = {(1, 10): -1.0, (1, 20): 0.0, (2, 10): 1.0}
    assert means(scores, z) == {1: (6.0, -0.5, 2), 2: (6.0, 1.0, 1)}


def test_verdict_order():
    ranks = [verdict_rank(v) for v in ("feasible", "feasible_with_conditions", "not_feasible", "")]
    assert ranks == [0, 1, 2, 3]
    assert verdict_rank(None) == 3

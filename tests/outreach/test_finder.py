"""The beamline finder ranks beamlines for questions in Japanese and English, with reasons."""

from __future__ import annotations

import pytest

from akari.outreach import finder
from tests.outreach.factories import catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loaded() -> None:
    catalogue()


def codes(matches: list[finder.Match]) -> list[str]:
    return [m.beamline.code for m in matches]


@pytest.mark.parametrize(
    "question", ["battery degradation", "電池の劣化を調べたい", "Li-ion batteries while charging"]
)
def test_battery_questions_in_either_language_find_the_operando_beamline_first(question):
    matches = finder.find(question)
    assert codes(matches)[0] == "BL09U"
    assert any(reason.where == "policy" for reason in matches[0].reasons)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("magnetic domains in thin films", "BL13U"),
        ("磁性", "BL13U"),
        ("RIXS", "BL02U"),
        ("共鳴非弾性散乱", "BL02U"),
        ("stress response of CFRP", "BL09W"),
        ("CFRPの応力", "BL09W"),
        ("抗菌材料", "BL08U"),
    ],
)
def test_questions_find_the_expected_beamline_in_the_top_three(question, expected):
    assert expected in codes(finder.find(question))[:3]


def test_a_japanese_question_matches_english_only_text_through_the_vocabulary():
    concepts = finder.search_terms("触媒")
    assert any("catalyst" in concept for concept in concepts)


def test_reasons_are_shown_in_the_readers_language():
    from django.utils import translation

    with translation.override("en"):
        top = finder.find("電池")[0]
    assert top.beamline.code == "BL09U"
    assert any("Li-ion batteries" in reason.text for reason in top.reasons)
    assert top.reasons[0].term == "電池"  # the reader's own word
    with translation.override("ja"):
        top = finder.find("battery")[0]
    assert any("Liイオン電池" in reason.text for reason in top.reasons)
    assert top.reasons[0].term == "battery"


def test_a_policy_area_alone_lists_its_beamlines_with_what_they_contribute():
    matches = finder.find("", policy_area="infection_control")
    # The seed maps all seven coalition beamlines to infection control; by facility and code.
    assert codes(matches) == ["BL07U", "BL08U", "BL08W", "BL09U", "BL09W", "BL10U", "BL14U"]
    assert [m.policy_links[0].applications_en for m in matches][3] == "Antibacterial materials"


def test_a_policy_area_narrows_a_question():
    assert set(codes(finder.find("X-ray", policy_area="sdgs"))) <= set(
        codes(finder.find("", policy_area="sdgs"))
    )


def test_nothing_matches_nonsense():
    assert finder.find("zzzz qqqq") == []


def test_stop_words_alone_find_nothing():
    assert finder.find("I want to measure my sample") == []


def test_the_finder_page_shows_ranked_results_with_reasons(client):
    html = client.get("/finder/?q=battery").content.decode()
    first = html.index('data-beamline="')
    assert html[first:].startswith('data-beamline="BL09U"')
    assert "Li" in html[first : first + 2000]

"""The programme guide and the programme pages: public, bilingual, generated from the packs."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from akari.core import clock
from akari.policies.services import policy_load

pytestmark = pytest.mark.django_db

GUIDE = reverse("policies:guide")


def get(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """Visible text with tags removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_guide_without_loaded_packs_says_so(client, db, frozen_clock):
    html = get(client, GUIDE, "en")

    assert 'data-testid="guide-empty"' in html
    assert "No programme policy is loaded yet." in html
    assert 'data-testid="programme-guide"' not in html


def test_the_guide_shows_every_fee_figure_of_the_brief_in_english(client, loaded):
    html = get(client, GUIDE, "en")

    for figure in [
        "¥480,000 / shift (8 h), tax included",
        "¥720,000 / shift (8 h), tax included",
        "¥131,000 / shift (8 h), tax included",
        "¥10,720 / shift (8 h), tax included",
        "¥50,000,000 / unit, tax excluded",
        "¥35,000 / hour, tax excluded (members who joined in FY2022)",
    ]:
        assert figure in html, figure
    assert html.count("at cost, tax included") == 2  # SPring-8 and NanoTerasu shared consumables


def test_the_guide_shows_every_fee_figure_of_the_brief_in_japanese(client, loaded):
    html = get(client, GUIDE, "ja")

    for figure in [
        "¥480,000／シフト（8時間）、税込",
        "¥720,000／シフト（8時間）、税込",
        "¥131,000／シフト（8時間）、税込",
        "¥10,720／シフト（8時間）、税込",
        "¥50,000,000／口、税別",
        "¥35,000／時間、税別（2022年度加入会員）",
    ]:
        assert figure in html, figure
    assert "<h1>利用制度ガイド</h1>" in html


def test_the_guide_puts_the_programmes_side_by_side_in_seed_order(client, loaded):
    html = get(client, GUIDE, "en")

    headers = re.findall(r'data-programme="([^"]+)"', html)
    assert headers == ["spring8", "nanoterasu-shared", "nanoterasu-coalition"]
    rows = re.findall(r'<tr data-row="([^"]+)"', html)
    assert rows == [
        "eligibility",
        "consultation",
        "routes",
        "fees",
        "beamtime",
        "how_to_apply",
        "review",
        "support",
        "data_analysis",
        "obligations",
        "payment",
        "beamlines",
        "information",
        "revision",
    ]


def test_the_guide_states_the_rules_held_as_data_in_english(client, loaded):
    text = text_of(get(client, GUIDE, "en"))

    for sentence in [
        "6 calls a year",
        "Anytime requests in 1-hour units",
        "2 calls a year",
        "Urgent / special proposal: any time, at least 21 days before the beamtime",
        "Proposals are reviewed 5 months before the period starts; the selection committee "
        "then decides",
        "Applicants are notified 1.5 months before the period starts",
        "Experiment report within 2 months of the experiment",
        "Paper published within 36 months of the experiment (extension possible)",
        "Payment within 2 months of receiving the invoice",
        "Priority and proprietary use: at most 40% of a beamline's user time",
        "One group: at most 20% of a beamline's user time",
        "Requests of 3 shifts or more, in units of 3 shifts",
        "At least 2 experimenters per team",
        "Students take part only as co-experimenters",
        "Graduate student proposal: the supervisor must be on the team",
        "Round 1: all members, until 1 month before use",
        "Round 2: Platinum, Special-contract gold, until 7 days before use (priority)",
        "Round 3: all members, until 2 days before use",
        "One unit: about 200 hours a fiscal year for 10 years",
        "Member class Platinum: 4 units or more",
        "No proposal review: Basic use, Advanced use, Mail-in / measurement service",
        "Consumption tax: 10%",
        "Part of the time of BL07U, BL08W, BL08U, BL09W, BL09U, BL10U, BL14U",
    ]:
        assert sentence in text, sentence


def test_the_guide_states_the_rules_held_as_data_in_japanese(client, loaded):
    text = text_of(get(client, GUIDE, "ja"))

    for sentence in [
        "公募は年6回",
        "1時間単位の随時利用",
        "利用開始5か月前に課題審査を行い、その後選定委員会において決定",
        "利用開始1.5か月前に採否を通知",
        "実験後2か月以内に実験報告書を提出",
        "実験後36か月以内に論文を出版（延長あり）",
        "請求書受領後2か月以内に支払い",
        "一次募集：全会員、利用の1か月前まで",
        "二次募集：プラチナ会員、特約ゴールド会員、利用の7日前まで（優先）",
        "消費税：10%",
        "通常利用",
        "成果非専有（成果公開）",
    ]:
        assert sentence in text, sentence


def test_the_guide_query_count_does_not_grow_with_routes_or_fees(
    client, loaded, django_assert_num_queries
):
    # versions (with programme and facility), routes, fees: 3 queries for 12 routes, 13 fees
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_assert_num_queries(3):
        assert client.get(GUIDE).status_code == 200


def test_the_guide_with_one_programme_needs_the_same_queries(
    client, catalogue, frozen_clock, django_assert_num_queries
):
    policy_load(path="nanoterasu-shared")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    with django_assert_num_queries(3):
        assert client.get(GUIDE).status_code == 200


def test_the_guide_follows_the_version_in_force(client, loaded, spring8_text, write_pack):
    policy_load(
        path=write_pack(
            spring8_text.replace('version: "2026.1"', 'version: "2027.1"')
            .replace("effective_from: 2026-04-01", "effective_from: 2027-04-01")
            .replace("amount: 480000", "amount: 500000")
        )
    )

    before = get(client, GUIDE, "en")
    with clock.frozen(dt.datetime(2027, 4, 1, 9, 0, tzinfo=clock.TOKYO)):
        after = get(client, GUIDE, "en")

    proprietary = 'data-fee="proprietary">'
    assert f"{proprietary}¥480,000 / shift" in before
    assert "¥500,000" not in before
    assert f"{proprietary}¥500,000 / shift" in after
    assert f"{proprietary}¥480,000" not in after
    assert "Version 2027.1, in force from" in after


def test_a_programme_page_shows_routes_fees_and_version(client, loaded):
    html = get(client, reverse("policies:programme", args=["spring8"]), "en")
    text = text_of(html)

    assert re.findall(r'<tr data-route="([^"]+)"', html) == [
        "normal",
        "urgent",
        "graduate_student",
        "priority",
        "proprietary_normal",
        "time_designated",
        "measurement_service",
    ]
    assert re.findall(r'<tr data-fee="([^"]+)"', html) == [
        "user_fee",
        "consumables",
        "priority",
        "proprietary",
        "time_designated",
        "measurement_service",
    ]
    assert "¥480,000 / shift (8 h), tax included" in html
    assert 'data-testid="version">2026.1<' in html
    assert (
        "Proprietary proposal Proprietary (results kept) Technical and safety review only" in text
    )
    assert 'href="/beamlines/spring8/BL46XU/"' in html


def test_a_coalition_page_lists_the_usage_rate_per_joining_year(client, loaded):
    html = get(client, reverse("policies:programme", args=["nanoterasu-coalition"]), "ja")

    assert "¥35,000／時間、税別（2022年度加入会員）" in html
    assert "¥50,000,000／口、税別" in html
    assert "暫定" in html  # provisional default figures are marked


def test_a_programme_page_query_count_is_pinned(client, loaded, django_assert_num_queries):
    url = reverse("policies:programme", args=["spring8"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # programme+facility, beamlines, versions, routes, fees
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_a_programme_before_its_first_version_is_in_force(client, loaded):
    with clock.frozen(dt.datetime(2026, 3, 31, 12, 0, tzinfo=clock.TOKYO)):
        html = get(client, reverse("policies:programme", args=["spring8"]), "en")

    assert 'data-testid="no-policy"' in html
    assert 'data-testid="routes"' not in html


def test_an_unknown_programme_is_not_found(client, loaded):
    assert client.get(reverse("policies:programme", args=["nope"])).status_code == 404

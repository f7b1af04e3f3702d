"""A new user writes and submits a proposal in Japanese: draft saved as they type, a
co-investigator, a beamline request, a PDF attached, submitted, shown as 「審査中」."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import resolve, reverse

from akari.core import clock
from akari.facility.models import Beamline
from akari.proposals.models import Proposal
from tests.factories import PASSWORD, UserFactory
from tests.proposals.factories import CallFactory, loaded_packs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_call(transactional_db):  # type: ignore[no-untyped-def]
    """A NanoTerasu shared-use call open now (the live server runs on the real clock)."""
    loaded_packs()
    # Import every app's views now (OR-Tools is slow to import), not on the first page load.
    resolve(reverse("proposals:calls"))
    now = clock.now()
    return CallFactory(
        pack="nanoterasu-shared",
        code="NT2027A",
        title_ja="2027A期 NanoTerasu 共用課題募集",
        title_en="NanoTerasu shared use, 2027A",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        period_start=(now + dt.timedelta(days=150)).date(),
        period_end=(now + dt.timedelta(days=330)).date(),
        beamlines={"BL02U": 60, "BL13U": 60},
    )


def test_a_new_user_submits_a_proposal_in_japanese(
    live_server, page, screenshot, open_call, tmp_path
):
    # Given a new (verified) user and a colleague who already has an account
    applicant = UserFactory(
        email="kenji@example.ac.jp", family_name_ja="山田", given_name_ja="健二", career_stage=""
    )
    UserFactory(email="colleague@example.ac.jp", family_name_ja="鈴木", given_name_ja="花子")
    plan = Path(tmp_path) / "研究計画.pdf"
    plan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    # When they log in through the form (the browser prefers Japanese)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", applicant.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")

    # ... open the call and start a proposal
    page.goto(f"{live_server.url}/proposals/calls/")
    page.get_by_role("link", name="2027A期 NanoTerasu 共用課題募集").click()
    assert "3シフト以上、3の倍数" in page.locator("main").inner_text()
    screenshot("proposal-01-call-ja")
    page.get_by_test_id("start-proposal").click()
    page.wait_for_url("**/edit/")

    # ... write it in Japanese: the draft saves itself as they type
    page.fill("input[name=title]", "軟X線共鳴非弾性散乱による銅酸化物の電子状態解析")
    page.fill("textarea[name=abstract]", "高分解能RIXSで銅酸化物薄膜の素励起を測定する。")
    page.fill("textarea[name=purpose]", "電荷秩序と磁気励起の関係を明らかにし、材料設計に生かす。")
    page.select_option("select[name=field]", label="物質科学（電子状態・磁性）")
    page.fill("input[name=keywords]", "RIXS、銅酸化物、磁気励起")
    page.fill("textarea[name=samples]", "銅酸化物薄膜（基板付き、5 mm角）3枚")
    page.get_by_test_id("saved").wait_for()
    assert "下書きを保存しました" in page.get_by_test_id("save-status").inner_text()

    # ... add a co-investigator by the e-mail of their account
    team = page.get_by_test_id("team-form")
    team.locator("input[name=email]").fill("colleague@example.ac.jp")
    team.get_by_test_id("team-add").click()
    page.locator('[data-member="colleague@example.ac.jp"]').wait_for()

    # ... request six shifts on BL02U
    requests = page.get_by_test_id("request-form")
    bl02u = Beamline.objects.get(code="BL02U")
    requests.locator("select[name=beamline]").select_option(value=str(bl02u.pk))
    requests.locator("input[name=units]").fill("6")
    requests.get_by_test_id("request-add").click()
    page.locator('[data-request="BL02U"]').wait_for()

    # ... attach the research plan (PDF)
    attachments = page.get_by_test_id("attachment-form")
    attachments.locator("input[type=file]").set_input_files(str(plan))
    attachments.get_by_test_id("attachment-add").click()
    page.locator('[data-attachment="研究計画.pdf"]').wait_for()
    screenshot("proposal-02-draft-ja")

    # ... check and submit
    page.get_by_test_id("go-submit").click()
    page.wait_for_url("**/submit/")
    assert page.get_by_test_id("ready").is_visible()
    screenshot("proposal-03-check-ja")
    page.get_by_test_id("confirm-submit").click()

    # Then the proposal is under review, with its number
    page.get_by_test_id("status").wait_for()
    assert page.get_by_test_id("status").inner_text() == "審査中"
    assert page.get_by_test_id("proposal-number").inner_text() == "NT2027A0001"
    assert "課題を申請しました。" in page.locator("main").inner_text()
    screenshot("proposal-04-submitted-ja")
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.title == "軟X線共鳴非弾性散乱による銅酸化物の電子状態解析"
    assert proposal.team.count() == 2
    assert proposal.attachments.get().original_name == "研究計画.pdf"

"""Staff write a news item in both languages, preview it as a draft (not public yet), publish
it, and a visitor reads it on the home page in Japanese and in English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from akari.core import clock
from akari.outreach.models import NewsItem
from tests.browser.conftest import SCREENSHOTS
from tests.outreach.factories import NOW, audiences, facility, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def process_clock() -> Iterator[None]:
    clock.freeze_process(NOW)
    yield
    clock.freeze_process(None)


def _session(browser, live_server, person):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    return context


def test_staff_write_preview_and_publish_news(
    live_server, browser, page, screenshot, process_clock
):
    audiences()
    facility()
    editor = staff()
    context = _session(browser, live_server, editor)
    desk = context.new_page()
    desk.set_default_timeout(15_000)
    desk.goto(f"{live_server.url}/")
    desk.get_by_role("link", name="公開サイト管理").click()
    desk.get_by_test_id("news-new").click()
    desk.select_option("#id_facility", label="NanoTerasu")
    desk.fill("#id_title_ja", "見学会を開催します")
    desk.fill("#id_title_en", "Open day at NanoTerasu")
    desk.fill(
        "#id_body_ja", "12月20日に見学会を開催します。\n\n詳細は https://example.org/open-day"
    )
    desk.fill(
        "#id_body_en", "We open our doors on 20 December.\n\nDetails: https://example.org/open-day"
    )
    desk.get_by_label("一般の方・学生の方").check()
    desk.get_by_role("button", name="保存してプレビュー").click()
    desk.get_by_test_id("preview-ja").wait_for()
    assert "見学会を開催します" in desk.get_by_test_id("preview-ja").inner_text()
    assert "Open day at NanoTerasu" in desk.get_by_test_id("preview-en").inner_text()
    item = NewsItem.objects.get()
    assert item.status == NewsItem.Status.DRAFT
    desk.screenshot(path=str(SCREENSHOTS / "outreach-news-01-preview.png"), full_page=True)

    # Not public yet.
    page.goto(f"{live_server.url}/")
    assert "見学会を開催します" not in page.get_by_test_id("home-news").inner_text()

    desk.get_by_test_id("news-publish").click()
    desk.get_by_test_id("news-unpublish").wait_for()
    item.refresh_from_db()
    assert item.status == NewsItem.Status.PUBLISHED and item.publish_at == NOW

    page.goto(f"{live_server.url}/")
    page.get_by_test_id("home-news").get_by_role("link", name="見学会を開催します").click()
    page.wait_for_url(f"**/news/{item.pk}/")
    assert page.get_by_role("link", name="https://example.org/open-day").count() == 1
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Open day at NanoTerasu"
    page.goto(f"{live_server.url}/audiences/public/")
    assert "Open day at NanoTerasu" in page.locator("main").inner_text()
    screenshot("outreach-news-02-public-en")
    context.close()

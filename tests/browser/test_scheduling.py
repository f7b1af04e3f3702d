"""The user office runs the solver on a period, moves one block, publishes; the applicant
finds the dates under "My beamtime"."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from akari.scheduling.models import ScheduledBlock, SchedulePeriod
from tests.beamtime.factories import at
from tests.factories import PASSWORD
from tests.scheduling.conftest import IMMEDIATE, make_week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def week(transactional_db, settings):  # type: ignore[no-untyped-def]
    settings.TASKS = IMMEDIATE
    return make_week()


def _staff_session(page, live_server, person) -> None:  # type: ignore[no-untyped-def]
    TOTP.activate(person, generate_totp_secret())
    client = Client()
    client.force_login(person)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )


def test_staff_schedules_moves_publishes_and_the_applicant_sees_the_dates(
    live_server, page, browser, screenshot, week
):
    _staff_session(page, live_server, week.staff)
    page.goto(f"{live_server.url}/scheduling/")
    page.get_by_role("link", name=week.period.code).click()
    page.fill("input[name=time_limit]", "2")
    page.fill("input[name=workers]", "1")
    page.get_by_test_id("run-solver").click()
    page.get_by_test_id("timeline").wait_for()
    assert page.locator("[data-block]").count() == 2
    screenshot("scheduling-01-draft")

    # Move the first block: the conflict check answers before the move is applied.
    first = ScheduledBlock.objects.filter(period=week.period).order_by("start").first()
    target = at(2026, 10, 2, 9) if first.start != at(2026, 10, 2, 9) else at(2026, 10, 1, 9)
    page.locator(f"[data-block='{first.pk}']").click()
    panel = page.get_by_test_id("block-panel")
    panel.wait_for()
    page.fill("#id_move-start", target.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_move-start").dispatch_event("change")
    page.get_by_test_id("no-conflict").wait_for()
    with page.expect_navigation():
        page.get_by_test_id("move").click()
    first.refresh_from_db()
    assert first.start == target and first.pinned
    screenshot("scheduling-02-moved")

    with page.expect_navigation():
        page.get_by_test_id("publish").click()
    week.period.refresh_from_db()
    assert week.period.status == SchedulePeriod.Status.PUBLISHED

    # The applicant (PI of the moved block's proposal) finds the dates in "My beamtime".
    applicant = browser.new_context(locale="ja-JP").new_page()
    applicant.goto(f"{live_server.url}/accounts/login/")
    applicant.fill("input[name=login]", first.proposal.created_by.email)
    applicant.fill("input[name=password]", PASSWORD)
    applicant.locator("form button[type=submit]").last.click()
    applicant.wait_for_url(f"{live_server.url}/")
    applicant.locator("nav.main-nav a[href='/scheduling/mine/']").click()
    row = applicant.locator(f"tr[data-proposal='{first.proposal.number}']")
    local = target.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert local.strftime("%Y-%m-%d %H:%M") in row.inner_text()
    applicant.screenshot(
        path=str(screenshot("scheduling-03-applicant").parent / "scheduling-03.png")
    )

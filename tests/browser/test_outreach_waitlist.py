"""A person registers for a full event and lands on the waitlist; then, when the seat holder
cancels, the first person waiting is promoted and sees their seat."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from akari.core import clock
from akari.outreach import services
from akari.outreach.models import Registration
from tests.factories import PASSWORD, UserFactory
from tests.outreach.factories import NOW, catalogue, event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def process_clock() -> Iterator[None]:
    clock.freeze_process(NOW)
    yield
    clock.freeze_process(None)


@pytest.fixture
def full_event(transactional_db, process_clock):  # type: ignore[no-untyped-def]
    ev = event(capacity=1, title_ja="XAFS講習会（満席）", title_en="XAFS workshop (full)")
    holder = UserFactory()
    seat = services.registration_create(event=ev, person=holder, actor=holder)
    return ev, seat


def log_in(page, live_server, person) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_person_registers_for_a_full_event_and_lands_on_the_waitlist(
    live_server, page, screenshot, full_event
):
    ev, seat = full_event
    person = UserFactory()
    log_in(page, live_server, person)

    # From the navigation to the events list, then the event's page.
    page.get_by_role("link", name="イベント", exact=True).first.click()
    page.wait_for_url("**/events/")
    row = page.locator(f"tr[data-event='{ev.pk}']")
    assert "満席" in row.inner_text()
    row.get_by_role("link", name="XAFS講習会（満席）").click()
    page.wait_for_url(f"**/events/{ev.pk}/")
    assert "満席です" in page.get_by_test_id("registration-box").inner_text()
    screenshot("outreach-01-full-event")

    page.get_by_test_id("register").click()
    page.wait_for_url(f"**/events/{ev.pk}/")
    status = page.get_by_test_id("registration-status")
    assert "キャンセル待ち1番目" in status.inner_text()
    registration = Registration.objects.get(person=person)
    assert (registration.status, registration.seat, registration.waitlist_position) == (
        Registration.Status.WAITLISTED,
        None,
        1,
    )
    assert Registration.objects.filter(event=ev, seat__isnull=False).count() == 1
    screenshot("outreach-02-waitlisted")

    # The seat holder cancels: the person waiting is promoted and sees the seat.
    services.registration_cancel(registration=seat, actor=seat.person)
    page.reload()
    assert "参加登録済みです（席番号1）" in page.get_by_test_id("registration-status").inner_text()
    screenshot("outreach-03-promoted")


def test_public_pages_switch_between_japanese_and_english(live_server, page, full_event):
    catalogue()
    page.goto(f"{live_server.url}/")
    assert "今後のイベント" in page.get_by_test_id("home-events").inner_text()
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert "Upcoming events" in page.get_by_test_id("home-events").inner_text()
    page.get_by_test_id("audience-switch").get_by_role("link", name="Overseas researchers").click()
    page.wait_for_url("**/audiences/overseas/")
    assert page.locator("h1").inner_text() == "Overseas researchers"
    page.goto(f"{live_server.url}/finder/?q=battery")
    results = page.get_by_test_id("finder-results")
    assert results.locator("li").first.get_attribute("data-beamline") == "BL09U"
    assert "Why:" in results.inner_text()
    page.get_by_test_id("lang-ja").click()
    page.wait_for_load_state()
    assert "理由：" in page.get_by_test_id("finder-results").inner_text()

"""A gold member books beamtime: refused in round 2 with the rule's message, then booked in
round 3, and the booking shows in "My bookings"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.urls import resolve, reverse

from akari.coalition import policy
from akari.coalition.models import Booking
from akari.core import clock
from tests.beamtime.factories import at
from tests.coalition.factories import coalition_beamline, member, open_window
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROUND2 = at(2026, 11, 10, 10)  # for a slot on 20 November: round 2 until 13 November 10:00
ROUND3 = at(2026, 11, 14, 10)


@pytest.fixture
def process_clock() -> Iterator[None]:
    clock.freeze_process(ROUND2)
    policy.clear_cache()
    yield
    clock.freeze_process(None)
    policy.clear_cache()


@pytest.fixture
def gold(transactional_db, process_clock):  # type: ignore[no-untyped-def]
    bl = coalition_beamline()
    open_window(bl, at(2026, 11, 1), at(2026, 12, 1))
    resolve(reverse("coalition:book"))
    membership, (person,) = member("gold", people=1)
    return bl, membership, person


def test_a_gold_member_is_refused_in_round2_and_books_in_round3(
    live_server, page, screenshot, gold
):
    bl, membership, person = gold
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")

    # The coalition entry of the navigation leads to the booking form.
    page.get_by_role("link", name="コアリション").first.click()
    page.get_by_test_id("coalition-nav").get_by_role("link", name="予約する").click()
    page.select_option("select[name=beamline]", value=str(bl.pk))
    page.fill("input[name=day]", "2026-11-20")
    page.select_option("select[name=start_hour]", value="10")
    page.fill("#id_hours", "2")
    page.locator("#id_hours").dispatch_event("change")
    refusal = page.get_by_test_id("round-refusal")
    refusal.wait_for()
    assert "二次募集" in refusal.inner_text() and "三次募集" in refusal.inner_text()
    screenshot("coalition-01-round2-refused")

    # Submitting anyway is refused with the same rule, and nothing is booked.
    page.get_by_test_id("book-submit").click()
    page.wait_for_load_state()
    assert "二次募集" in page.locator("form[data-testid=booking-form]").inner_text()
    assert not Booking.objects.exists()

    # Round 3 opens (7 days before the slot): the same request books the slot.
    clock.freeze_process(ROUND3)
    page.get_by_test_id("book-submit").click()
    page.wait_for_url("**/coalition/bookings/")
    booking = Booking.objects.get()
    assert (booking.membership, booking.round, booking.hours) == (membership, 3, 2)
    row = page.locator(f"tr[data-reference='{booking.reference}']")
    assert "BL07U" in row.inner_text()
    screenshot("coalition-02-round3-booked")
    assert booking.start == at(2026, 11, 20, 10) and booking.end - booking.start == dt.timedelta(
        hours=2
    )

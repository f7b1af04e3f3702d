"""End to end on the demo: finance issues an invoice, the customer sees it, a competitor does
not; the demo and the billing run are idempotent. Then the same journey in Chromium."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from akari.accounts.models import User
from akari.beamtime.models import UsageRecord
from akari.billing.models import Charge, Invoice
from akari.core import clock
from akari.core.fiscal import FiscalYear
from tests.billing.factories import company, contact_of, draft_invoice, finance
from tests.browser.conftest import SCREENSHOTS
from tests.proposals.factories import research_fields


def load_demo() -> None:
    research_fields()
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _login(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


@pytest.mark.django_db
def test_finance_issues_and_only_the_customer_sees_it():
    load_demo()
    invoices, charges = Invoice.objects.count(), Charge.objects.count()
    load_demo()  # idempotent: the second load bills nothing
    assert (Invoice.objects.count(), Charge.objects.count()) == (invoices, charges)
    issued = Invoice.objects.filter(lines__charge__reference="DEMO-BILL-1").distinct().get()
    assert issued.status == Invoice.Status.ISSUED and issued.number
    draft = Invoice.objects.filter(lines__charge__reference="DEMO-BILL-2").distinct().get()
    assert draft.status == Invoice.Status.DRAFT
    assert UsageRecord.objects.get(experiment__reference="DEMO-BILL-3").status == "draft"

    finance = _login("finance@demo.akari.example")
    assert finance.get(reverse("billing:dashboard")).status_code == 200
    finance.post(reverse("billing:invoice-issue", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.ISSUED

    aoba = _login("member-admin@demo.akari.example")
    mine = aoba.get(reverse("billing:my-invoices"))
    assert draft.number in mine.text and issued.number not in mine.text
    assert aoba.get(reverse("billing:invoice", args=[draft.pk])).status_code == 200
    assert aoba.get(reverse("billing:invoice", args=[issued.pk])).status_code == 404
    hirose = _login("member-gold@demo.akari.example")
    assert hirose.get(reverse("billing:invoice", args=[draft.pk])).status_code == 404
    assert issued.number in hirose.get(reverse("billing:my-invoices")).text


def _session_cookie(live_server, person) -> dict[str, str]:
    client = Client()
    client.force_login(person)
    return {
        "name": "sessionid",
        "value": client.cookies["sessionid"].value,
        "url": live_server.url,
    }


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_finance_issues_customer_sees(live_server, browser):
    # Given a draft invoice to a company whose billing contact prefers Japanese
    customer = company(name_en="Sendai Optics K.K.", name_ja="仙台光学株式会社")
    contact = contact_of(customer, preferred_language="ja")
    competitor = contact_of(company())
    draft = draft_invoice(customer, amounts=(480000, 10720))
    finance_user = finance()
    finance_user.preferred_language = "en"
    finance_user.save(update_fields=["preferred_language"])

    # Finance opens the draft from the navigation and issues it
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies([_session_cookie(live_server, finance_user)])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation").get_by_role("link", name="Billing").first.click()
    page.wait_for_url("**/billing/")
    page.goto(f"{live_server.url}{reverse('billing:invoices')}?status=draft")
    page.locator(f'tr[data-invoice="{draft.pk}"] a').click()
    page.get_by_test_id("issue").click()
    page.wait_for_load_state()
    number = page.get_by_test_id("invoice-number").inner_text().strip()
    assert number == "INV-" + str(FiscalYear.of(clock.today()).year) + "-000001"
    assert page.get_by_test_id("invoice-total").inner_text() == "¥490,720"
    shoot(page, "billing-01-issued")
    context.close()

    # The customer's billing contact finds it under "My invoices"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    context.add_cookies([_session_cookie(live_server, contact)])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation").get_by_role("link", name="請求書一覧（自社）").click()
    page.get_by_role("link", name=number).click()
    assert page.get_by_test_id("invoice-number").inner_text().strip() == number
    assert "適格請求書" in page.locator("h1").inner_text()
    shoot(page, "billing-02-customer")
    context.close()

    # A competitor's billing contact does not see it
    context = browser.new_context(locale="ja-JP")
    context.add_cookies([_session_cookie(live_server, competitor)])
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('billing:my-invoices')}")
    assert number not in page.content()
    response = page.goto(f"{live_server.url}{reverse('billing:invoice', args=[draft.pk])}")
    assert response is not None and response.status == 404
    context.close()

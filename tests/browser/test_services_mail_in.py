"""A company requests a mail-in measurement and follows it to delivery: request with samples and
hazards, quote from the rate card, acceptance, shipping with a tracking number, and the data
link with its checksum."""

from __future__ import annotations

from decimal import Decimal

import pytest

from akari.services.models import ServiceOrder
from akari.services.services import orders
from tests.factories import PASSWORD
from tests.services.factories import company_person, facility, scientist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHECKSUM = "3f" * 32


def test_a_company_requests_a_mail_in_measurement_and_follows_it_to_delivery(
    live_server, page, screenshot
):
    spring8 = facility("spring8")
    person, organisation = company_person(name_ja="東北精機株式会社", name_en="Tohoku Seiki")
    staff = scientist()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("link", name="自分の依頼").first.click()
    page.get_by_test_id("order-new").click()
    page.select_option("select[name=facility]", value=str(spring8.pk))
    page.select_option("select[name=kind]", value="measurement")
    page.select_option("select[name=programme]", value="spring8")
    page.select_option("select[name=organisation]", value=str(organisation.pk))
    page.fill("input[name=technique]", "XAFS（Ni K吸収端）")
    page.fill("input[name=measurements]", "3")
    page.fill(
        "textarea[name=description]", "正極材料3種のNi K吸収端XAFSを透過法で測定してください。"
    )
    page.fill("input[name=samples-0-name]", "NCM811 粉末")
    page.fill("input[name=samples-0-composition]", "BN希釈ペレット")
    page.fill("input[name=samples-0-quantity]", "3")
    page.locator("input[name=samples-0-hazards][value=toxic]").check()
    page.fill("input[name=samples-0-hazards_details]", "Ni化合物。密封して送付")
    screenshot("services-mail-in-01-request")
    page.get_by_test_id("order-submit").click()
    page.get_by_test_id("order-status").wait_for()
    order = ServiceOrder.objects.get()
    assert "依頼受付" in page.get_by_test_id("order-status").inner_text()
    assert (order.requester, order.measurements) == (person, 3)
    assert order.samples.get().hazards == ["toxic"]

    # Staff quote 4 hours: the measurement-service rate pro rata (720,000 JPY per 8 h shift).
    orders.order_quote(order=order, hours=Decimal(4), actor=staff)
    page.reload()
    assert "360,000" in page.get_by_test_id("quote-total").inner_text()
    page.get_by_test_id("accept-quote").click()
    page.get_by_test_id("ship-form").wait_for()
    page.fill("input[name=tracking_number]", "4321-8765-0001")
    page.fill("input[name=carrier]", "ヤマト運輸")
    page.get_by_test_id("ship-submit").click()
    page.get_by_test_id("tracking").wait_for()
    assert "試料発送済み" in page.get_by_test_id("order-status").inner_text()
    screenshot("services-mail-in-02-shipped")

    orders.order_receive(order=order, actor=staff)
    orders.order_measured(order=order, actor=staff)
    orders.order_deliver(
        order=order, data_url="https://data.example.jp/so/0001", sha256=CHECKSUM, actor=staff
    )
    page.get_by_role("link", name="自分の依頼").first.click()
    row = page.locator(f"tr[data-reference='{order.reference}']")
    assert "データ納品済み" in row.inner_text()
    row.get_by_role("link", name=order.reference).click()
    delivery = page.get_by_test_id("delivery").inner_text()
    assert "https://data.example.jp/so/0001" in delivery and CHECKSUM in delivery
    history = page.get_by_test_id("history").inner_text()
    assert "データ納品済み" in history and "試料発送済み" in history
    screenshot("services-mail-in-03-delivered")

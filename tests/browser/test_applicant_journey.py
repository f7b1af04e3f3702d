"""An applicant logs in, switches ja↔en, browses the catalogue and the programme guide."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from akari.demo.services import DEMO_PASSWORD
from tests.proposals.factories import research_fields

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    research_fields()  # migration data; an earlier transactional test may have flushed it
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_applicant_browses_in_both_languages(live_server, page, screenshot, demo):
    # Given the demo applicant, in a browser that prefers Japanese
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "applicant@demo.akari.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()

    # When logged in, the home page greets in Japanese with the person's name
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_test_id("current-user").inner_text() == "青木 結衣"
    assert page.get_by_role("link", name="ビームライン一覧を見る").is_visible()
    screenshot("01-home-ja")

    # Switching to English changes the page and is remembered
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("current-user").inner_text() == "Yui Aoki"
    assert page.get_by_role("link", name="Browse the beamlines").is_visible()
    screenshot("02-home-en")

    # The catalogue lists both facilities; a policy-area filter narrows it (English)
    page.get_by_role("navigation").get_by_role("link", name="Beamlines").click()
    page.wait_for_url("**/beamlines/**")
    assert page.get_by_text("BL02U").first.is_visible()
    assert page.get_by_text("BL01B1").first.is_visible()
    screenshot("03-catalogue-en")
    page.select_option("select[name=policy_area]", "infection_control")
    page.wait_for_url("**policy_area=infection_control**")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("BL07U").first.is_visible()
    assert page.get_by_text("BL02U").count() == 0
    screenshot("04-catalogue-filtered-en")

    # A beamline's page
    page.get_by_role("link", name="BL07U").first.click()
    page.wait_for_url("**/beamlines/nanoterasu/BL07U/**")
    screenshot("05-beamline-en")

    # The programme guide shows the three programmes side by side with their fees
    page.get_by_role("navigation").get_by_role("link", name="Programme guide").click()
    page.wait_for_url("**/programmes/**")
    body = page.locator("main").inner_text()
    for figure in ("¥480,000", "¥131,000", "¥50,000,000", "¥35,000"):
        assert figure in body
    screenshot("06-guide-en")

    # Back to Japanese: the same pages in Japanese
    page.get_by_test_id("lang-ja").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ja"
    assert "利用制度ガイド" in page.locator("h1").inner_text()
    screenshot("07-guide-ja")
    page.get_by_role("navigation").get_by_role("link", name="ビームライン", exact=True).click()
    page.wait_for_url("**/beamlines/**")
    assert page.get_by_text("BL10U").first.is_visible()
    screenshot("08-catalogue-ja")

    # The demo applicant's proposal shows in "My proposals" with its coarse status only
    page.goto(f"{live_server.url}{reverse('proposals:mine')}")
    main = page.locator("main").inner_text()
    assert "NT2027B0001" in main
    assert "審査中" in main
    screenshot("09-my-proposals-ja")

"""After the experiment: the lead writes the experiment report (draft, then submit) and registers
the paper by pasting its BibTeX, as a new user would, from the navigation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from akari.core import clock
from akari.outcomes.engine import outcomes_daily
from akari.outcomes.models import ExperimentReport, Publication
from tests.beamtime.factories import at
from tests.factories import PASSWORD
from tests.outcomes.factories import experiment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = at(2026, 7, 1, 10)

BIBTEX = """@article{sato2027,
  author = {Sato, Hana and Suzuki, Taro},
  title = {Operando XAFS of supported Pt nanoparticles},
  journal = {J. Synchrotron Rad.},
  year = {2027},
  volume = {34},
  pages = {101--110},
  doi = {10.1107/S1600577527000001},
}"""


@pytest.fixture
def finished(transactional_db) -> Iterator[object]:  # type: ignore[no-untyped-def]
    clock.freeze_process(NOW)
    exp = experiment()
    outcomes_daily()
    yield exp
    clock.freeze_process(None)


def test_a_user_submits_the_report_and_registers_the_paper(live_server, page, screenshot, finished):
    exp = finished
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", exp.lead.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")

    # "My obligations" is in the navigation; the report is due two months after the end.
    page.locator("a[href='/outcomes/mine/']").first.click()
    table = page.get_by_test_id("obligations")
    assert "2026-08-01" in table.inner_text()
    report_ob = exp.obligations.get(kind="report")
    page.locator(f"a[href='/outcomes/obligations/{report_ob.pk}/']").click()
    page.get_by_test_id("write-report").click()

    # A draft first, then the complete report.
    page.fill("input[name=title]", "担持Pt触媒の局所構造")
    page.fill("textarea[name=aim]", "反応中のPtナノ粒子の構造変化を調べる。")
    page.locator("button[name=action][value=save]").click()
    page.wait_for_url(f"**/outcomes/obligations/{report_ob.pk}/")
    assert ExperimentReport.objects.get().status == "draft"
    page.get_by_test_id("write-report").click()
    page.fill("textarea[name=method]", "BL01B1 でオペランドXAFSを測定した。")
    page.fill("textarea[name=results]", "Pt-Pt 結合距離が反応中に短縮した。")
    page.fill("textarea[name=outlook]", "他の担体でも比較する。")
    screenshot("outcomes-01-report")
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(f"**/outcomes/obligations/{report_ob.pk}/")
    assert page.get_by_test_id("report-status").inner_text() == "提出済み"
    assert ExperimentReport.objects.get().status == "submitted"

    # The paper: paste BibTeX, check the imported fields, link the experiment, register.
    page.locator("a[href='/outcomes/mine/']").first.click()
    page.get_by_test_id("register-publication").click()
    page.locator("details summary").click()
    page.fill("textarea[name=text]", BIBTEX)
    page.locator("button[name=action][value=import]").click()
    page.wait_for_load_state()
    form = page.get_by_test_id("publication-form")
    assert form.locator("input[name=doi]").input_value() == "10.1107/S1600577527000001"
    assert form.locator("input[name=year]").input_value() == "2027"
    form.locator(f"input[name=experiments][value='{exp.pk}']").check()
    screenshot("outcomes-02-publication")
    form.locator("button[name=action][value=register]").click()
    page.wait_for_url("**/outcomes/mine/")

    publication = Publication.objects.get()
    assert publication.doi == "10.1107/s1600577527000001"
    assert [a.name for a in publication.authors.all()] == ["Sato, Hana", "Suzuki, Taro"]
    assert exp.obligations.get(kind="publication").status == "accepted"
    mine = page.get_by_test_id("obligations").inner_text()
    assert "2029-06-01" in mine
    assert "履行済み" in mine  # the publication obligation is fulfilled
    screenshot("outcomes-03-mine")

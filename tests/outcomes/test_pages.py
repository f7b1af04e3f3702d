"""Outcomes pages: public lists (proprietary never shown), a user's pages, staff pages and
who may reach what (a denial changes nothing)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from akari.accounts.roles import Role
from akari.core import clock
from akari.outcomes import services
from akari.outcomes.engine import obligations_create
from akari.outcomes.models import ExperimentReport, Obligation, Publication
from akari.outcomes.publications import Author, publication_register
from tests.beamtime.factories import at
from tests.factories import UserFactory
from tests.outcomes.factories import experiment, staff, survey_questions

pytestmark = pytest.mark.django_db

AFTER = at(2026, 6, 2, 9)


def finished(**kwargs):
    exp = experiment(**kwargs)
    with clock.frozen(max(AFTER, exp.end + dt.timedelta(hours=1))):
        obligations_create(experiment=exp)
    return exp


def publish(exp, n: int = 1, **kwargs):
    return publication_register(
        facility=exp.beamline.facility,
        actor=exp.lead,
        kind="refereed",
        title=kwargs.pop("title", f"Operando XAFS {n}"),
        year=2027,
        authors=[Author("Hana Sato", "0000-0002-1825-0097")],
        doi=f"10.1234/xafs.{n}",
        experiments=[exp],
        **kwargs,
    )


def test_public_list_filters_and_hides_proprietary_work(client, django_assert_max_num_queries):
    open_exp = finished()
    secret = finished(route="proprietary_normal", proprietary=True, end=at(2026, 6, 3, 18))
    for n in range(5):
        publish(open_exp, n)
    publish(secret, 99, title="Secret catalyst")

    with django_assert_max_num_queries(12):
        page = client.get(reverse("outcomes:publications"))
    assert page.status_code == 200
    assert "Operando XAFS 3" in page.text
    assert "Secret catalyst" not in page.text
    assert "Secret catalyst" not in client.get(reverse("outcomes:beamline", args=["BL01B1"])).text
    assert "Secret catalyst" not in client.get(reverse("outcomes:export", args=["bib"])).text
    assert (
        "Operando XAFS 1" not in client.get(reverse("outcomes:publications"), {"year": 2020}).text
    )
    assert (
        "Operando XAFS 1"
        in client.get(
            reverse("outcomes:publications"), {"beamline": "BL01B1", "programme": "spring8"}
        ).text
    )
    ris = client.get(reverse("outcomes:export", args=["ris"])).text
    assert ris.count("TY  - JOUR") == 5


def test_public_report_appears_after_the_delay_only():
    from django.test import Client

    exp = finished()
    report_ob = exp.obligations.get(kind="report")
    with clock.frozen(at(2026, 7, 1, 10)):
        report = services.report_save(
            obligation=report_ob,
            actor=exp.lead,
            data={"title": "公開報告", "aim": "a", "method": "m", "results": "r"},
            submit=True,
        )
        services.report_review(report=report, actor=staff(), accept=True)
    client = Client()
    with clock.frozen(at(2026, 9, 30, 10)):
        assert client.get(reverse("outcomes:report-public", args=[report.pk])).status_code == 404
    with clock.frozen(at(2026, 10, 1, 10)):
        assert client.get(reverse("outcomes:report-public", args=[report.pk])).status_code == 200
        assert "公開報告" in client.get(reverse("outcomes:beamline", args=["BL01B1"])).text


def test_my_obligations_lists_only_mine_and_others_get_404(client):
    exp = finished()
    other = finished(end=at(2026, 6, 3, 18))
    client.force_login(exp.lead)

    page = client.get(reverse("outcomes:mine"))
    assert page.status_code == 200
    assert exp.reference in page.text
    assert other.reference not in page.text
    theirs = other.obligations.get(kind="report")
    assert client.get(reverse("outcomes:obligation", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("outcomes:report", args=[theirs.pk]), {}).status_code == 404
    assert (
        client.post(reverse("outcomes:waive", args=[theirs.pk]), {"reason": "x"}).status_code == 403
    )
    assert client.get(reverse("outcomes:queue")).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_report_form_saves_a_draft_then_submits(client):
    exp = finished()
    report_ob = exp.obligations.get(kind="report")
    client.force_login(exp.lead)
    url = reverse("outcomes:report", args=[report_ob.pk])
    data = {"language": "en", "title": "Pt", "aim": "A", "method": "", "results": "", "outlook": ""}

    with clock.frozen(at(2026, 7, 1, 10)):
        assert client.post(url, {**data, "action": "save"}).status_code == 302
        refused = client.post(url, {**data, "action": "submit"})
        assert refused.status_code == 200
        full = {**data, "method": "XAFS", "results": "Shorter bonds", "action": "submit"}
        assert client.post(url, full).status_code == 302

    report = ExperimentReport.objects.get()
    report_ob.refresh_from_db()
    assert (report.status, report.results, report_ob.status) == (
        "submitted",
        "Shorter bonds",
        "submitted",
    )


def test_staff_review_extension_and_waive_through_pages(client):
    exp = finished()
    paper = exp.obligations.get(kind="publication")
    reviewer = staff()
    with clock.frozen(at(2029, 5, 1, 10)):
        request = services.extension_request(obligation=paper, actor=exp.lead, reason="査読中")
    client.force_login(reviewer)

    assert client.get(reverse("outcomes:queue"), {"status": "open"}).status_code == 200
    assert client.get(reverse("outcomes:obligation", args=[paper.pk])).status_code == 200
    with clock.frozen(at(2029, 5, 2, 10)):
        client.post(
            reverse("outcomes:extension-decide", args=[request.pk]),
            {"action": "approve", "new_due": "2030-01-31", "note": "OK"},
        )
    paper.refresh_from_db()
    assert (paper.status, paper.due) == ("extended", dt.date(2030, 1, 31))
    report = exp.obligations.get(kind="report")
    client.post(reverse("outcomes:waive", args=[report.pk]), {"reason": "装置故障で測定不能"})
    report.refresh_from_db()
    assert report.status == "waived"


def test_publication_registration_with_import(client):
    exp = finished()
    client.force_login(exp.lead)
    url = reverse("outcomes:publication-new")
    imported = client.post(
        url,
        {
            "action": "import",
            "text": "@article{k, author={Sato, Hana}, title={Imported title}, "
            "journal={J. Synch.}, year={2027}, doi={10.5555/imp.1}}",
        },
    )
    assert imported.status_code == 200
    assert "Imported title" in imported.text
    assert "10.5555/imp.1" in imported.text

    done = client.post(
        url,
        {
            "action": "register",
            "kind": "refereed",
            "title": "Imported title",
            "doi": "10.5555/IMP.1",
            "authors": "Sato, Hana; 0000-0002-1825-0097\nSuzuki, Taro",
            "year": "2027",
            "experiments": [exp.pk],
        },
    )
    assert done.status_code == 302
    assert Publication.objects.get().doi == "10.5555/imp.1"
    assert exp.obligations.get(kind="publication").status == "accepted"
    again = client.post(
        url,
        {
            "action": "register",
            "kind": "refereed",
            "title": "Imported title",
            "doi": "https://doi.org/10.5555/imp.1",
            "authors": "Sato, Hana",
            "year": "2027",
            "experiments": [exp.pk],
        },
    )
    assert again.status_code == 200
    assert "already registered" in again.text or "登録済み" in again.text
    assert Publication.objects.count() == 1


def test_survey_page_and_staff_aggregates(client):
    participant = UserFactory()
    exp = finished(participants=(participant,))
    scale, text = survey_questions(exp)
    client.force_login(participant)
    url = reverse("outcomes:survey", args=[exp.pk])
    assert client.get(url).status_code == 200
    client.post(url, {f"q{scale.pk}": "4", f"q{text.pk}": "Great support"})
    client.post(url, {f"q{scale.pk}": "1"})
    client.force_login(exp.lead)
    client.post(url, {f"q{scale.pk}": "2"})
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404

    client.force_login(staff(Role.MANAGEMENT))
    page = client.get(reverse("outcomes:surveys"), {"start": "2026-04-01", "end": "2027-03-31"})
    assert page.status_code == 200
    assert page.context["lines"] == [
        {
            "beamline": "BL01B1",
            "scores": [
                {
                    "text_ja": scale.text_ja,
                    "text_en": scale.text_en,
                    "responses": 2,
                    "mean": 3.0,
                }
            ],
            "comments": ["Great support"],
        }
    ]


def test_datasets_embargo_and_scicat_export(client):
    exp = finished(title="Pt catalysts")
    secret = finished(route="proprietary_normal", proprietary=True, end=at(2026, 6, 3, 18))
    scientist = staff(Role.BEAMLINE_SCIENTIST)
    client.force_login(scientist)
    client.post(
        reverse("outcomes:datasets", args=[exp.pk]),
        {"pid": "20.500.12345/ds-1", "location": "file:///data/bl01b1/ds-1", "size_bytes": 2048},
    )
    services.dataset_add(
        experiment=secret, actor=scientist, pid="ds-secret", location="/d/s", size_bytes=1
    )

    exported = json.loads(client.get(reverse("outcomes:scicat", args=[exp.pk])).content)
    assert exported["proposal"]["proposalId"] == exp.reference
    assert exported["proposal"]["title"] == "Pt catalysts"
    assert exported["proposal"]["pi_email"] == exp.lead.email
    assert exported["proposal"]["startTime"] == "2026-06-01T01:00:00Z"
    assert exported["datasets"] == [
        {
            **exported["datasets"][0],
            "pid": "20.500.12345/ds-1",
            "sourceFolder": "file:///data/bl01b1/ds-1",
            "size": 2048,
            "isPublished": False,
            "embargoDate": "2029-06-01",
            "ownerGroup": exp.reference,
        }
    ]
    hidden = json.loads(client.get(reverse("outcomes:scicat", args=[secret.pk])).content)
    assert hidden["datasets"][0]["embargoDate"] is None
    assert hidden["datasets"][0]["license"] == "proprietary"
    client.force_login(UserFactory())
    assert client.get(reverse("outcomes:scicat", args=[exp.pk])).status_code == 404


def test_staff_queue_pins_queries(client, django_assert_max_num_queries):
    for day in range(3, 8):
        finished(end=at(2026, 6, day, 18))
    client.force_login(staff())
    with django_assert_max_num_queries(14):
        page = client.get(reverse("outcomes:queue"))
    assert page.status_code == 200
    assert len(page.context["obligations"]) == Obligation.objects.count() == 15
    nano = client.get(reverse("outcomes:queue"), {"facility": nano_facility().pk})
    assert len(nano.context["obligations"]) == 0
    overdue = client.get(reverse("outcomes:queue"), {"overdue": "on"})
    assert len(overdue.context["obligations"]) == 0


def nano_facility():
    from akari.facility.models import Facility

    return Facility.objects.get(code="nanoterasu")


def test_api_lists_public_publications_and_scopes_scicat(client):
    exp = finished()
    secret = finished(route="proprietary_normal", proprietary=True, end=at(2026, 6, 3, 18))
    publish(exp, 1)
    publish(secret, 2, title="Secret catalyst")

    rows = client.get("/api/v1/outcomes/publications/").json()
    assert [(r["title"], r["doi"], r["beamlines"]) for r in rows] == [
        ("Operando XAFS 1", "10.1234/xafs.1", ["BL01B1"])
    ]
    assert client.get(f"/api/v1/outcomes/experiments/{exp.pk}/scicat/").status_code in (401, 403)
    client.force_login(exp.lead)
    assert (
        client.get(f"/api/v1/outcomes/experiments/{exp.pk}/scicat/").json()["proposal"][
            "proposalId"
        ]
        == exp.reference
    )
    assert client.get(f"/api/v1/outcomes/experiments/{secret.pk}/scicat/").status_code == 404


def test_beamline_and_mine_pages_pin_queries(client, django_assert_max_num_queries):
    exp = finished()
    for n in range(4):
        publish(exp, n)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("outcomes:beamline", args=["BL01B1"])).status_code == 200
    for day in range(3, 7):
        finished(end=at(2026, 6, day, 18), lead=exp.lead)
    client.force_login(exp.lead)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("outcomes:mine"))
    assert page.status_code == 200
    assert len(page.context["obligations"]) == 15


def test_non_staff_cannot_review_decide_or_record_and_nothing_changes(client):
    exp = finished()
    report_ob = exp.obligations.get(kind="report")
    paper = exp.obligations.get(kind="publication")
    with clock.frozen(at(2026, 7, 1, 10)):
        report = services.report_save(
            obligation=report_ob,
            actor=exp.lead,
            data={"title": "t", "aim": "a", "method": "m", "results": "r"},
            submit=True,
        )
        request = services.extension_request(obligation=paper, actor=exp.lead, reason="x")
    for person in (exp.lead, staff(Role.MANAGEMENT), staff(Role.FINANCE)):
        client.force_login(person)
        assert (
            client.post(reverse("outcomes:report-review", args=[report.pk]), {"action": "accept"})
        ).status_code == 403
        assert (
            client.post(
                reverse("outcomes:extension-decide", args=[request.pk]),
                {"action": "approve", "new_due": "2030-01-01"},
            )
        ).status_code == 403
        assert client.post(
            reverse("outcomes:datasets", args=[exp.pk]),
            {"pid": "x", "location": "y", "size_bytes": 1},
        ).status_code in (403, 404)
    report.refresh_from_db()
    request.refresh_from_db()
    assert (report.status, request.status) == ("submitted", "pending")
    assert not exp.datasets.exists()

"""Billing pages and API: who sees what (404 for others' invoices), actions, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from akari.accounts.roles import Role
from akari.billing import services
from akari.billing.models import Invoice, Payment
from tests.billing.factories import company, contact_of, draft_invoice, finance, with_mfa
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 10)


def issued(customer=None, **kwargs) -> Invoice:
    return services.invoice_issue(invoice=draft_invoice(customer, **kwargs), actor=None, on=DAY)


@pytest.fixture
def two_members():
    a, b = company(), company()
    return (a, contact_of(a), issued(a)), (b, contact_of(b), issued(b))


def test_billing_contacts_see_only_their_own_invoices(client, two_members):
    (_a, person_a, invoice_a), (b, _person_b, invoice_b) = two_members
    client.force_login(person_a)
    page = client.get(reverse("billing:my-invoices"))
    assert page.status_code == 200
    assert f'data-invoice="{invoice_a.pk}"' in page.text
    assert f'data-invoice="{invoice_b.pk}"' not in page.text
    assert client.get(reverse("billing:invoice", args=[invoice_a.pk])).status_code == 200
    assert client.get(reverse("billing:invoice-pdf", args=[invoice_a.pk, "ja"])).status_code == 200
    for name, args in [
        ("billing:invoice", [invoice_b.pk]),
        ("billing:invoice-pdf", [invoice_b.pk, "en"]),
        ("billing:statement", [b.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    api = client.get("/api/v1/billing/invoices/")
    assert [row["number"] for row in api.json()] == [invoice_a.number]
    assert client.get(f"/api/v1/billing/invoices/{invoice_b.pk}/").status_code == 404


def test_drafts_are_invisible_to_customers(client):
    org = company()
    person = contact_of(org)
    draft = draft_invoice(org)
    client.force_login(person)
    assert client.get(reverse("billing:invoice", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize(
    "roles", [[], [Role.APPLICANT], [Role.USER_OFFICE], [Role.BEAMLINE_SCIENTIST], [Role.REVIEWER]]
)
def test_finance_pages_are_refused_to_others_and_change_nothing(client, roles):
    invoice = issued()
    client.force_login(with_mfa(UserFactory(roles=roles)))
    for name in [
        "billing:dashboard",
        "billing:invoices",
        "billing:runs",
        "billing:receivables",
        "billing:export",
    ]:
        assert client.get(reverse(name)).status_code == 403
    response = client.post(
        reverse("billing:payment-add", args=[invoice.pk]),
        {"amount": "1000", "paid_on": "2026-06-11"},
    )
    assert response.status_code in {403, 404}
    assert client.get(reverse("billing:invoice", args=[invoice.pk])).status_code == 404
    assert not Payment.objects.exists()


def test_finance_issues_records_payment_and_credits(client):
    user = finance()
    draft = draft_invoice()
    client.force_login(user)
    response = client.post(reverse("billing:invoice-issue", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.ISSUED and draft.number in response.text
    client.post(
        reverse("billing:payment-add", args=[draft.pk]),
        {"amount": "80000", "paid_on": "2026-06-20", "reference": "MUFG 123"},
    )
    client.post(
        reverse("billing:credit-add", args=[draft.pk]), {"amount": "400000", "reason": "refund"}
    )
    draft.refresh_from_db()
    assert (draft.paid, draft.credited, draft.status) == (
        Decimal(80000),
        Decimal(400000),
        Invoice.Status.PAID,
    )
    statement = client.get(reverse("billing:statement", args=[draft.customer_id]))
    assert draft.number in statement.text and "CN-2026-000001" in statement.text


def test_list_pages_pin_their_queries(client, django_assert_max_num_queries):
    user = finance()
    orgs = [company() for _ in range(3)]
    for org in orgs:
        contact_of(org)
        issued(org)
        issued(org)
    client.force_login(user)
    for name in ["billing:invoices", "billing:dashboard", "billing:receivables"]:
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/billing/invoices/").status_code == 200


def test_csv_export_has_bom_and_documented_columns(client):
    invoice = issued(amounts=(480000, 10720))
    client.force_login(finance())
    response = client.get(reverse("billing:export"))
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("invoice_number,issue_date,due_date,customer_id")
    row = lines[1].split(",")
    assert row[0] == invoice.number
    assert row[8:12] == ["10", "446110", "44610", "490720"]


def test_dashboard_groups_per_programme_and_month(client):
    issued(amounts=(110000,))
    second = issued(amounts=(220000,))
    services.payment_record(
        invoice=second, amount=Decimal(220000), paid_on=DAY, reference="", actor=None
    )
    from akari.billing.selectors import dashboard

    rows = dashboard(Invoice.objects.all())
    assert len(rows) == 1
    row = rows[0]
    assert (row["programme"], row["invoices"], row["billed"], row["paid"], row["outstanding"]) == (
        "spring8",
        2,
        Decimal(330000),
        Decimal(220000),
        Decimal(110000),
    )


def test_fee_estimator_page_and_htmx_partial(client):
    from tests.proposals.factories import loaded_packs

    loaded_packs()
    page = client.get(reverse("billing:estimate"))
    assert page.status_code == 200
    response = client.get(
        reverse("billing:estimate"),
        {"route": "spring8:proprietary_normal", "hours": "16"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "¥960,000" in response.text
    missing = client.get(
        reverse("billing:estimate"), {"route": "nanoterasu-coalition:basic", "hours": "2"}
    )
    assert "加入年度を入力してください" in missing.text
    api = client.get(
        "/api/v1/billing/estimate/",
        {
            "programme": "nanoterasu-coalition",
            "route": "basic",
            "hours": "2",
            "joining_fiscal_year": "2022",
        },
    )
    assert api.json()["subtotal"] == "70000"


def test_staff_records_and_confirms_usage_from_the_page(client):
    from akari.beamtime.models import UsageRecord
    from tests.billing.factories import experiment, staff

    exp = experiment()
    user = staff()
    client.force_login(user)
    listing = client.get(reverse("billing:usage"))
    assert exp.reference in listing.text
    response = client.post(
        reverse("billing:usage-edit", args=[exp.pk]),
        {
            "actual_start": "2026-06-01T10:00",
            "actual_end": "2026-06-01T18:00",
            "downtime_minutes": "45",
            "item_liquid_helium": "10",
        },
    )
    assert response.status_code == 302
    usage = UsageRecord.objects.get(experiment=exp)
    assert usage.downtime_minutes == 45 and usage.used_minutes == 480
    client.post(reverse("billing:usage-action", args=[exp.pk, "confirm"]))
    usage.refresh_from_db()
    assert usage.status == UsageRecord.Status.CONFIRMED


def test_others_cannot_reach_usage_records(client):
    from akari.beamtime.models import UsageRecord
    from tests.billing.factories import experiment

    exp = experiment()
    client.force_login(UserFactory())
    assert client.get(reverse("billing:usage")).status_code == 403
    assert client.get(reverse("billing:usage-edit", args=[exp.pk])).status_code == 404
    assert not UsageRecord.objects.exists()


def test_finance_keeps_billing_contacts_in_the_admin(client):
    client.force_login(finance())
    assert client.get(reverse("admin:billing_billingcontact_add")).status_code == 200
    assert client.get(reverse("admin:billing_invoice_changelist")).status_code == 200


def test_estimator_embed_renders():
    from django.template.loader import render_to_string

    html = render_to_string(
        "billing/_estimator_embed.html", {"route": "spring8:priority", "hours": 16}
    )
    assert 'name="route" value="spring8:priority"' in html
    assert 'hx-get="/billing/estimate/"' in html


def test_staff_return_a_submitted_usage_record(client):
    from akari.beamtime import services_usage
    from akari.beamtime.models import UsageRecord
    from tests.billing.factories import experiment, staff

    exp = experiment()
    usage = services_usage.usage_record(
        experiment=exp, actor=staff(), actual_start=exp.start, actual_end=exp.end
    )
    services_usage.usage_submit(usage=usage, actor=None)
    client.force_login(staff())
    page = client.get(reverse("billing:usage-edit", args=[exp.pk]))
    assert f"/billing/usage/{exp.pk}/return/" in page.text
    client.post(reverse("billing:usage-action", args=[exp.pk, "return"]), {"reason": "end time"})
    usage.refresh_from_db()
    assert usage.status == UsageRecord.Status.DRAFT


def test_my_invoices_for_someone_who_is_no_billing_contact(client):
    client.force_login(UserFactory())
    page = client.get(reverse("billing:my-invoices"))
    assert page.status_code == 200
    assert 'data-testid="invoices"' not in page.text


def test_navigation_predicates_make_no_query(django_assert_num_queries):
    from akari.billing import permissions

    person = UserFactory()
    person._akari_roles = set()
    with django_assert_num_queries(0):
        assert permissions.shows_my_invoices(person)
        assert not permissions.is_usage_staff(person)
        assert not permissions.is_finance(person)


def test_programme_guide_page_embeds_the_fee_estimator(client):
    from tests.proposals.factories import loaded_packs

    loaded_packs()
    page = client.get(reverse("policies:programme", args=["spring8"]))
    assert page.status_code == 200
    assert 'data-testid="estimator-embed"' in page.text
    assert 'name="route" value="spring8:' in page.text

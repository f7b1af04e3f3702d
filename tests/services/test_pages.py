"""The services pages: reachable from the navigation, render for their users, pin query counts
on lists, and go through the services (a consultation opened from the public form)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from akari.core.navigation import items_for
from akari.services.models import Consultation, ServiceOrder
from akari.services.services import consultations as desk
from akari.services.services import orders as order_services
from tests.factories import UserFactory
from tests.services.factories import company_person, consultation, facility, office, order

pytestmark = pytest.mark.django_db


def _nav(user) -> set[str]:
    return {item["url_name"] for item in items_for(user, "/")}


def test_navigation_entries_per_person():
    from django.contrib.auth.models import AnonymousUser

    assert "services:index" in _nav(AnonymousUser())
    person = UserFactory()
    assert {
        "services:index",
        "services:my-consultations",
        "services:matching",
        "services:my-orders",
    } <= _nav(person)
    staff = office()
    assert {"services:queue", "services:order-queue"} <= _nav(staff)
    assert "services:my-orders" not in _nav(staff)


def test_a_visitor_opens_a_consultation_from_the_public_form(
    client, django_capture_on_commit_callbacks
):
    page = client.get(reverse("services:consultation-new"))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("services:consultation-new"),
            {
                "facility": facility().pk,
                "topic": "industrial",
                "subject": "Coating analysis",
                "body": "Can you help us analyse a coating?",
                "requester_name": "Suzuki",
                "requester_email": "suzuki@example.com",
                "organisation_name": "Suzuki Paint",
                "attachments": [SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)],
            },
        )
    assert sent.status_code == 200 and 'data-testid="check-email"' in sent.text
    made = Consultation.objects.get()
    assert (made.queue, made.verified_at, made.messages.get().attachments.count()) == (
        "industry",
        None,
        1,
    )
    assert mail.outbox[0].to == ["suzuki@example.com"]


def test_a_refused_attachment_shows_on_the_form_and_writes_nothing(client):
    page = client.post(
        reverse("services:consultation-new"),
        {
            "facility": facility().pk,
            "topic": "first_time",
            "subject": "Hello",
            "body": "Question",
            "requester_name": "Suzuki",
            "requester_email": "suzuki@example.com",
            "attachments": [SimpleUploadedFile("virus.exe", b"MZ")],
        },
    )
    assert page.status_code == 200 and "virus.exe" in page.text
    assert not Consultation.objects.exists()


def test_staff_queue_shows_figures_and_pins_queries(client, django_assert_max_num_queries):
    staff = office()
    for i in range(6):
        made = consultation(
            subject=f"Question {i}", topic=["first_time", "beamline", "coalition"][i % 3]
        )
        if i % 2:
            desk.consultation_staff_reply(consultation=made, body="Answer", actor=staff)
    client.force_login(staff)
    client.get(reverse("services:queue"))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("services:queue"))
    assert page.status_code == 200
    assert page.text.count("data-reference=") == 6
    assert 'data-queue="science"' in page.text
    assert (
        client.get(reverse("services:queue") + "?queue=science").text.count("data-reference=") == 2
    )


def test_queue_is_for_staff_only(client):
    client.force_login(UserFactory())
    assert client.get(reverse("services:queue")).status_code == 403
    assert client.get(reverse("services:enquiries")).status_code == 403
    assert client.get(reverse("services:order-queue")).status_code == 403


def test_consultation_pages_render_for_requester_staff_and_link(client):
    person = UserFactory()
    made = consultation(requester=person)
    client.force_login(person)
    assert client.get(reverse("services:my-consultations")).text.count(made.reference) >= 1
    page = client.get(reverse("services:consultation", args=[made.pk]))
    assert page.status_code == 200 and "Assign to me" not in page.text
    client.force_login(office())
    staff_page = client.get(reverse("services:consultation", args=[made.pk]))
    assert staff_page.status_code == 200 and 'data-testid="resolve"' in staff_page.text
    client.post(reverse("services:consultation-action", args=[made.pk, "take"]))
    made.refresh_from_db()
    assert made.status == Consultation.Status.ASSIGNED
    client.logout()
    thread = client.get(reverse("services:consultation-thread", args=[desk.thread_token(made)]))
    assert thread.status_code == 200
    assert client.get(reverse("services:consultation-thread", args=["nope"])).status_code == 404


def test_matching_pages(client):
    researcher = UserFactory()
    client.force_login(researcher)
    assert client.get(reverse("services:matching")).status_code == 200
    client.post(
        reverse("services:profile"),
        {
            "headline": "XAFS of batteries",
            "techniques": "XAFS",
            "keywords_en": "battery",
            "published": "on",
        },
    )
    owner, organisation = company_person()
    client.force_login(owner)
    created = client.post(
        reverse("services:need-new"),
        {
            "facility": facility().pk,
            "organisation": organisation.pk,
            "title": "電池の劣化",
            "description": "電池正極のXAFS測定をしたい",
        },
    )
    need = owner.company_needs.get()
    assert created.url == reverse("services:need", args=[need.pk])
    page = client.get(created.url)
    assert page.status_code == 200 and "XAFS of batteries" in page.text and "XAFS" in page.text
    suggestion = need.suggestions.get()
    client.post(
        reverse("services:need-action", args=[need.pk, "contact"]),
        {"suggestion": suggestion.pk, "message": "Hello"},
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "contacted"
    client.force_login(researcher)
    assert "電池の劣化" in client.get(reverse("services:matching")).text
    client.post(reverse("services:match-request", args=[suggestion.pk]), {"answer": "accept"})
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    client.force_login(owner)
    assert researcher.email in client.get(reverse("services:need", args=[need.pk])).text


def test_order_pages_walk_through_the_form_and_the_queue(client, django_assert_max_num_queries):
    person, organisation = company_person()
    client.force_login(person)
    assert client.get(reverse("services:order-new")).status_code == 200
    response = client.post(
        reverse("services:order-new"),
        {
            "facility": facility("spring8").pk,
            "kind": "measurement",
            "programme": "spring8",
            "organisation": organisation.pk,
            "technique": "XAFS",
            "measurements": 2,
            "description": "Two powders",
            "samples-TOTAL_FORMS": 3,
            "samples-INITIAL_FORMS": 0,
            "samples-MIN_NUM_FORMS": 0,
            "samples-MAX_NUM_FORMS": 20,
            "samples-0-name": "NiO",
            "samples-0-quantity": 1,
            "samples-0-hazards": ["toxic"],
            "samples-0-hazards_details": "sealed",
        },
    )
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["samples"].errors,
    )
    made = ServiceOrder.objects.get()
    assert response.url == reverse("services:order", args=[made.pk])
    assert made.samples.get().hazards == ["toxic"]
    assert made.reference in client.get(reverse("services:my-orders")).text
    staff = office()
    for _ in range(5):
        order(deadline=dt.date(2099, 1, 1))
    client.force_login(staff)
    client.get(reverse("services:order-queue"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("services:order-queue"))
    assert page.text.count("data-reference=") == 6
    client.post(reverse("services:order-action", args=[made.pk, "quote"]), {"hours": "8"})
    made.refresh_from_db()
    assert made.status == "quoted" and made.quote_total == Decimal(720000)
    assert "720,000" in client.get(reverse("services:order", args=[made.pk])).text


def test_analysis_order_can_be_linked_to_the_requester_s_experiment():
    from django.core.exceptions import ValidationError

    from tests.billing.factories import experiment
    from tests.coalition.factories import member
    from tests.factories import AffiliationFactory

    exp = experiment(programme="nanoterasu-coalition", route="basic")

    membership, (person,) = member("gold")
    AffiliationFactory(person=exp.lead, organisation=membership.organisation)
    made = order_services.order_request(
        facility=facility(),
        kind="analysis_advanced",
        organisation=membership.organisation,
        programme="nanoterasu-coalition",
        technique="XAS analysis",
        description="Fit our spectra",
        experiment=exp,
        actor=exp.lead,
    )
    assert made.experiment == exp
    with pytest.raises(ValidationError):
        order_services.order_request(
            facility=facility(),
            kind="analysis_advanced",
            organisation=membership.organisation,
            programme="nanoterasu-coalition",
            technique="XAS analysis",
            description="Fit our spectra",
            experiment=exp,
            actor=person,
        )


def test_remaining_pages_render(client):
    assert client.get(reverse("services:index")).status_code == 200
    bad = client.get(reverse("services:consultation-verify", args=["forged"]))
    assert bad.status_code == 400
    staff = office()
    made = consultation(topic="coalition")
    desk.consultation_to_enquiry(consultation=made, actor=staff)
    client.force_login(staff)
    page = client.get(reverse("services:enquiries"))
    assert page.status_code == 200 and "Yamada Kogyo" in page.text
    enquiry = made.membership_enquiry
    client.post(reverse("services:enquiries"), {"enquiry": enquiry.pk, "to": "closed"})
    enquiry.refresh_from_db()
    assert enquiry.status == "closed"
    client.force_login(UserFactory())
    for name in (
        "services:profile",
        "services:need-new",
        "services:my-orders",
        "services:matching",
    ):
        assert client.get(reverse(name)).status_code == 200


def test_the_orders_api_is_scoped_to_the_caller(client):
    made = order()
    other = order()
    client.force_login(made.requester)
    rows = client.get("/api/v1/services/orders/").json()
    assert [row["reference"] for row in rows] == [made.reference]
    assert client.get(f"/api/v1/services/orders/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/services/orders/{made.pk}/").json()["status"] == "requested"


def test_personal_lists_pin_their_queries(client, django_assert_max_num_queries):
    person, organisation = company_person()
    for i in range(4):
        consultation(requester=person, subject=f"Q{i}")
        order(person=person, organisation=organisation)
    client.force_login(person)
    for name in ("services:my-consultations", "services:my-orders", "services:matching"):
        client.get(reverse(name))
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name)).status_code == 200


def test_desk_staff_assign_a_consultation_to_a_colleague_of_its_queue(client):
    from tests.services.factories import scientist

    staff = office()
    colleague = scientist()
    made = consultation(topic="analysis")
    client.force_login(staff)
    page = client.get(reverse("services:consultation", args=[made.pk]))
    assert f'value="{colleague.pk}"' in page.text
    outsider = UserFactory()
    url = reverse("services:consultation-action", args=[made.pk, "assign"])
    assert client.post(url, {"assignee": outsider.pk}).status_code == 404
    client.post(url, {"assignee": colleague.pk})
    made.refresh_from_db()
    assert (made.status, made.assignee) == (Consultation.Status.ASSIGNED, colleague)


@pytest.mark.parametrize(("waiting", "status"), [(["0", "1"], "waiting"), (["0"], "assigned")])
def test_a_staff_answer_from_the_page_waits_for_the_requester_when_ticked(client, waiting, status):
    staff = office()
    made = consultation()
    client.force_login(staff)
    page = client.get(reverse("services:consultation", args=[made.pk]))
    # The hidden "0" comes before the checkbox, so a ticked box wins.
    assert page.text.index('type="hidden" name="waiting"') < page.text.index(
        'type="checkbox" name="waiting"'
    )
    client.post(
        reverse("services:consultation", args=[made.pk]), {"body": "Answer", "waiting": waiting}
    )
    made.refresh_from_db()
    assert (made.status, made.assignee) == (status, staff)

"""Who sees a consultation, a company's need and an order (role matrix); a denial changes
nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from akari.accounts.roles import Role
from akari.services import permissions
from akari.services.models import Consultation, MatchSuggestion
from akari.services.services import consultations as desk
from akari.services.services import matching
from akari.services.services import orders as order_services
from tests.factories import AffiliationFactory, UserFactory
from tests.services.factories import (
    company_person,
    consultation,
    facility,
    office,
    order,
    scientist,
    with_mfa,
)

pytestmark = pytest.mark.django_db


def _visible(user, item) -> bool:
    return permissions.consultations_visible_to(user).filter(pk=item.pk).exists()


def test_consultation_visibility_matrix():
    owner = UserFactory()
    assigned = scientist()
    other_scientist = scientist()
    desk_staff = office()
    mine = consultation(requester=owner, topic="beamline")
    assert mine.queue == "science"
    # Unassigned: the queue's staff and the desk see it; nobody else.
    assert _visible(owner, mine) and _visible(desk_staff, mine)
    assert _visible(assigned, mine) and _visible(other_scientist, mine)
    for outsider in (
        UserFactory(),
        with_mfa(UserFactory(roles=[Role.FINANCE])),
        with_mfa(UserFactory(roles=[Role.REVIEWER])),
        with_mfa(UserFactory(roles=[Role.MANAGEMENT])),
    ):
        assert not _visible(outsider, mine)
    # Assigned: only the assignee among scientists.
    desk.consultation_assign(consultation=mine, assignee=assigned, actor=desk_staff)
    assert _visible(assigned, mine) and not _visible(other_scientist, mine)
    assert _visible(owner, mine) and _visible(desk_staff, mine)
    # A user-office queue consultation is not a scientist's business.
    general = consultation(topic="first_time")
    assert not _visible(assigned, general) and _visible(desk_staff, general)


def test_unverified_consultations_are_in_nobody_s_queue():
    pending = consultation(verified=False)
    assert not _visible(office(), pending)


def test_a_later_account_with_the_verified_address_sees_the_anonymous_consultation():
    made = consultation(requester_email="later@example.org")
    person = UserFactory(email="later@example.org")
    assert _visible(person, made)
    impostor = UserFactory(email="LATER@example.org.evil")
    assert not _visible(impostor, made)


def test_pages_deny_others_a_consultation_and_its_attachment(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    owner = UserFactory()
    made = consultation(
        requester=owner, files=[SimpleUploadedFile("a.txt", b"hello", "text/plain")]
    )
    attachment = made.messages.get().attachments.get()
    client.force_login(UserFactory())
    assert client.get(reverse("services:consultation", args=[made.pk])).status_code == 404
    assert client.get(reverse("services:attachment", args=[attachment.pk])).status_code == 404
    reply = client.post(reverse("services:consultation", args=[made.pk]), {"body": "hi"})
    assert reply.status_code == 404
    assert made.messages.count() == 1
    client.force_login(owner)
    assert client.get(reverse("services:attachment", args=[attachment.pk])).status_code == 200
    client.logout()
    token = desk.thread_token(made)
    url = reverse("services:attachment", args=[attachment.pk])
    assert client.get(f"{url}?t={token}").status_code == 200
    other = desk.thread_token(consultation())
    assert client.get(f"{url}?t={other}").status_code == 404


def test_a_requester_cannot_work_their_own_consultation():
    owner = UserFactory()
    made = consultation(requester=owner)
    with pytest.raises(ValidationError):
        desk.consultation_resolve(consultation=made, actor=owner)
    made.refresh_from_db()
    assert made.status == Consultation.Status.NEW


def _need(owner, organisation, *profiles):
    return matching.need_create(
        facility=facility(),
        organisation=organisation,
        title="Battery cathode degradation",
        description="We want operando XAFS of our NMC cathodes.",
        actor=owner,
    )


def test_a_need_is_seen_by_its_owner_and_by_a_researcher_only_after_contact(client):
    researcher, other_researcher = UserFactory(), UserFactory()
    for person, text in (
        (researcher, "Operando XAFS of battery cathodes"),
        (other_researcher, "XAFS of catalysts"),
    ):
        matching.profile_save(actor=person, data={"headline": text, "techniques": text})
    owner, organisation = company_person()
    colleague = UserFactory()
    AffiliationFactory(person=colleague, organisation=organisation)
    need = _need(owner, organisation)
    suggestion = need.suggestions.get(profile__person=researcher)
    everyone = [researcher, other_researcher, colleague, office(), UserFactory()]
    assert permissions.can_see_need(owner, need)
    assert not any(permissions.can_see_need(p, need) for p in everyone)
    client.force_login(researcher)
    assert client.get(reverse("services:match-request", args=[suggestion.pk])).status_code == 404
    assert client.get(reverse("services:need", args=[need.pk])).status_code == 404
    # Only the owner may contact; a refused attempt changes nothing.
    with pytest.raises(ValidationError):
        matching.suggestion_contact(suggestion=suggestion, actor=colleague)
    suggestion.refresh_from_db()
    assert suggestion.status == MatchSuggestion.Status.SUGGESTED
    matching.suggestion_contact(suggestion=suggestion, actor=owner, message="Could we talk?")
    assert permissions.can_see_need(researcher, need)
    assert not permissions.can_see_need(other_researcher, need)
    page = client.get(reverse("services:match-request", args=[suggestion.pk]))
    assert page.status_code == 200 and "NMC cathodes" in page.text
    # Declining hides the need again.
    client.post(reverse("services:match-request", args=[suggestion.pk]), {"answer": "decline"})
    suggestion.refresh_from_db()
    assert suggestion.status == MatchSuggestion.Status.DECLINED
    assert not permissions.can_see_need(researcher, need)


def test_the_funnel_is_for_staff_and_shows_counts_only(client):
    owner, organisation = company_person()
    _need(owner, organisation)
    client.force_login(owner)
    assert client.get(reverse("services:funnel")).status_code == 403
    staff = office()
    client.force_login(staff)
    page = client.get(reverse("services:funnel"))
    assert page.status_code == 200
    assert "Battery cathode degradation" not in page.text and "NMC" not in page.text


def test_orders_are_seen_by_their_requester_and_service_staff_only(client):
    made = order()
    assert permissions.orders_visible_to(made.requester).filter(pk=made.pk).exists()
    assert permissions.orders_visible_to(scientist()).filter(pk=made.pk).exists()
    colleague = UserFactory()
    AffiliationFactory(person=colleague, organisation=made.organisation)
    for outsider in (colleague, UserFactory(), with_mfa(UserFactory(roles=[Role.REVIEWER]))):
        assert not permissions.orders_visible_to(outsider).filter(pk=made.pk).exists()
    client.force_login(colleague)
    assert client.get(reverse("services:order", args=[made.pk])).status_code == 404
    client.post(reverse("services:order-action", args=[made.pk, "cancel"]))
    made.refresh_from_db()
    assert made.status == "requested"
    # The requester cannot do staff steps.
    with pytest.raises(ValidationError):
        order_services.order_quote(order=made, hours=8, actor=made.requester)
    made.refresh_from_db()
    assert made.status == "requested"

"""Every notification and e-mail of the services renders in Japanese and in English, with the
facts the person needs (no template left unrendered)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from akari.core import clock
from akari.notifications.models import Notification
from akari.services.services import consultations as desk
from akari.services.services import matching, orders
from tests.factories import UserFactory
from tests.services.factories import company_person, consultation, facility, office, order

pytestmark = pytest.mark.django_db


def _rendered(notification: Notification) -> tuple[str, str]:
    return notification.subject, notification.body


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_kind_renders_in_the_person_s_language(language, django_capture_on_commit_callbacks):
    staff = office()
    staff.preferred_language = language
    staff.save(update_fields=["preferred_language"])
    person = UserFactory(preferred_language=language)
    with django_capture_on_commit_callbacks(execute=True):
        made = consultation(requester=person, subject="Beamline choice")
        desk.consultation_staff_reply(consultation=made, body="Try BL08W.", actor=staff)
        desk.consultation_requester_reply(consultation=made, body="Thanks", actor=person)
        other = office()
        desk.consultation_assign(consultation=made, assignee=other, actor=staff)
        researcher = UserFactory(preferred_language=language)
        matching.profile_save(actor=researcher, data={"headline": "XAFS of batteries"})
        owner, organisation = company_person()
        owner.preferred_language = language
        owner.save(update_fields=["preferred_language"])
        need = matching.need_create(
            facility=facility(),
            organisation=organisation,
            title="Battery XAFS",
            description="XAFS of battery cathodes",
            actor=owner,
        )
        suggestion = need.suggestions.get()
        matching.suggestion_contact(suggestion=suggestion, actor=owner)
        matching.suggestion_answer(suggestion=suggestion, accept=False, actor=researcher)
        with clock.frozen(dt.datetime(2026, 6, 1, 10, tzinfo=clock.TOKYO)):
            job = order(person=owner, organisation=organisation)
            orders.order_quote(order=job, hours=Decimal(8), actor=staff)
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds >= {
        "services.consultation_new",
        "services.consultation_reply",
        "services.consultation_answered",
        "services.consultation_assigned",
        "services.match_contact",
        "services.match_answer",
        "services.order_status",
        "services.order_staff",
    }
    marker = "見積" if language == "ja" else "quote"
    for notification in Notification.objects.all():
        subject, body = _rendered(notification)
        assert subject.strip() and body.strip()
        assert "{{" not in subject + body and "{%" not in subject + body
    quoted = Notification.objects.get(kind="services.order_status", context__status="quoted")
    assert marker in _rendered(quoted)[1].lower()
    assert "720" in _rendered(quoted)[1]
    answered = Notification.objects.get(kind="services.match_answer")
    assert ("辞退" if language == "ja" else "declined") in _rendered(answered)[0]


@pytest.mark.parametrize(("language", "word"), [("ja", "回答"), ("en", "answered")])
def test_anonymous_requesters_get_e_mails_in_their_language(
    language, word, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = consultation(language=language)
        desk.consultation_staff_reply(consultation=made, body="Here is our answer.", actor=office())
    last = mail.outbox[-1]
    assert word in last.subject + last.body
    assert "Here is our answer." in last.body and "{{" not in last.body

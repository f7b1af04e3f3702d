"""Consultations: the transition table (every allowed and every illegal move), opening without
an account with e-mail verification, the thread link, replies, assignment, attachments, and the
conversions to a proposal draft and a coalition membership enquiry."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from akari.core import clock
from akari.core.models import StatusEvent
from akari.core.workflow import IllegalTransition, transition
from akari.notifications.models import Notification
from akari.services.models import Consultation, MembershipEnquiry
from akari.services.services import consultations as desk
from tests.factories import UserFactory
from tests.services.factories import consultation, facility, office, scientist

pytestmark = pytest.mark.django_db

S = Consultation.Status
ALLOWED = {(a, b) for a, targets in Consultation.TRANSITIONS.items() for b in targets}
ALL_PAIRS = list(itertools.product(S, S))


def _at(status: str) -> Consultation:
    made = consultation()
    Consultation.objects.filter(pk=made.pk).update(status=status)
    made.refresh_from_db()
    return made


def test_the_table_is_the_issue_s_workflow():
    assert {
        (S.NEW, S.ASSIGNED),
        (S.NEW, S.RESOLVED),
        (S.ASSIGNED, S.WAITING),
        (S.ASSIGNED, S.RESOLVED),
        (S.WAITING, S.ASSIGNED),
        (S.WAITING, S.RESOLVED),
        (S.RESOLVED, S.ASSIGNED),
    } == ALLOWED


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_every_allowed_transition(source, target):
    item = _at(source)
    transition(item, target, actor=None)
    item.refresh_from_db()
    assert item.status == target
    event = StatusEvent.objects.filter(object_id=str(item.pk), to_status=target).get()
    assert event.from_status == source


@pytest.mark.parametrize(("source", "target"), [p for p in ALL_PAIRS if p not in ALLOWED])
def test_every_illegal_transition_changes_nothing(source, target):
    item = _at(source)
    events = StatusEvent.objects.count()
    with pytest.raises(IllegalTransition):
        transition(item, target, actor=None)
    item.refresh_from_db()
    assert item.status == source
    assert StatusEvent.objects.count() == events


def _link(message: mail.EmailMessage) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_anonymous_consultation_waits_for_verification_then_enters_the_queue(
    django_capture_on_commit_callbacks, client
):
    desk_staff = office()
    with django_capture_on_commit_callbacks(execute=True):
        made = consultation(verified=False, language="ja")
    assert made.verified_at is None and made.requester is None
    assert made.queue == "user_office"
    assert [m.to for m in mail.outbox] == [["yamada@example.com"]]
    assert "確認" in mail.outbox[0].subject  # in the consultation's language
    assert not Notification.objects.filter(recipient=desk_staff).exists()

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(_link(mail.outbox[0]).split("8000", 1)[-1])
    assert page.status_code == 302
    made.refresh_from_db()
    assert made.verified_at is not None
    assert (
        Notification.objects.filter(recipient=desk_staff, kind="services.consultation_new").count()
        == 1
    )
    # The requester now has the secret thread link: it opens the same thread as the redirect
    # (each link is signed when it is made, so the two may differ in their timestamp).
    thread = _link(mail.outbox[-1]).split("8000", 1)[-1]
    assert desk.from_thread_token(thread.rstrip("/").rsplit("/", 1)[-1]) == made
    assert desk.from_thread_token(page.url.rstrip("/").rsplit("/", 1)[-1]) == made
    assert client.get(thread).status_code == 200
    # Following the verification link again changes nothing and notifies nobody again.
    desk.consultation_verify(token=desk.verification_token(made))
    assert Notification.objects.filter(kind="services.consultation_new").count() == 1


def test_forged_verification_links_are_refused():
    made = consultation(verified=False)
    with pytest.raises(ValidationError) as err:
        desk.consultation_verify(token=desk.verification_token(made) + "x")
    assert err.value.code == "invalid"
    made.refresh_from_db()
    assert made.verified_at is None


def test_a_verification_link_expires_after_the_configured_hours(monkeypatch):
    import time

    made = consultation(verified=False)
    token = desk.verification_token(made)
    real = time.time()
    monkeypatch.setattr("django.core.signing.time.time", lambda: real + 73 * 3600)
    with pytest.raises(ValidationError) as err:
        desk.consultation_verify(token=token)
    assert err.value.code == "expired"
    monkeypatch.setattr("django.core.signing.time.time", lambda: real + 71 * 3600)
    assert desk.consultation_verify(token=token).verified_at is not None


def test_a_thread_link_of_another_consultation_or_revoked_nonce_opens_nothing():
    made = consultation()
    token = desk.thread_token(made)
    assert desk.from_thread_token(token) == made
    assert desk.from_thread_token(token[:-2] + "xx") is None
    Consultation.objects.filter(pk=made.pk).update(thread_nonce="0" * 32)
    assert desk.from_thread_token(token) is None


def test_signed_in_requester_with_verified_address_goes_straight_to_the_queue():
    person = UserFactory()
    made = consultation(requester=person, verified=False)
    assert made.verified_at is not None and made.requester == person


def test_staff_reply_assigns_waits_and_fixes_the_first_response_time(
    django_capture_on_commit_callbacks,
):
    staff = office()
    made = consultation()
    with django_capture_on_commit_callbacks(execute=True):
        desk.consultation_staff_reply(consultation=made, body="Please send a sketch.", actor=staff)
    made.refresh_from_db()
    assert (made.status, made.assignee) == (S.WAITING, staff)
    assert made.first_response_at is not None
    first = made.first_response_at
    # The anonymous requester gets the answer by e-mail with the thread link.
    assert "Please send a sketch." in mail.outbox[-1].body
    assert "/services/consultations/t/" in mail.outbox[-1].body

    desk.consultation_requester_reply(consultation=made, body="Attached.", actor=None)
    made.refresh_from_db()
    assert made.status == S.ASSIGNED
    assert Notification.objects.filter(
        recipient=staff, kind="services.consultation_answered"
    ).exists()
    desk.consultation_staff_reply(consultation=made, body="Thanks.", actor=staff)
    made.refresh_from_db()
    assert made.first_response_at == first


def test_resolved_consultation_reopens_when_the_requester_writes():
    staff = office()
    made = consultation()
    desk.consultation_assign(consultation=made, assignee=staff, actor=staff)
    desk.consultation_resolve(consultation=made, actor=staff)
    made.refresh_from_db()
    assert made.status == S.RESOLVED and made.resolved_at is not None
    desk.consultation_requester_reply(consultation=made, body="One more question.", actor=None)
    made.refresh_from_db()
    assert (made.status, made.resolved_at) == (S.ASSIGNED, None)


def test_topics_route_to_queues_and_only_queue_staff_can_be_assigned():
    staff = office()
    made = consultation(topic="beamline")
    assert made.queue == "science"
    with pytest.raises(ValidationError):
        desk.consultation_assign(consultation=made, assignee=UserFactory(), actor=staff)
    bl = scientist()
    desk.consultation_assign(consultation=made, assignee=bl, actor=staff)
    made.refresh_from_db()
    assert made.assignee == bl
    assert Notification.objects.filter(recipient=bl, kind="services.consultation_assigned").exists()


def test_unverified_consultations_cannot_be_worked():
    made = consultation(verified=False)
    with pytest.raises(ValidationError):
        desk.consultation_staff_reply(consultation=made, body="Hello", actor=office())


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_attachments_are_checked_by_type_content_size_and_number(settings):
    made = consultation(files=[SimpleUploadedFile("sketch.pdf", PDF, "application/pdf")])
    stored = made.messages.get().attachments.get()
    assert (stored.name, stored.content_type) == ("sketch.pdf", "application/pdf")
    assert stored.file.name.startswith("consultations/")

    def refused(*files, code):
        count = Consultation.objects.count()
        with pytest.raises(ValidationError) as err:
            consultation(files=list(files))
        assert err.value.code == code
        assert Consultation.objects.count() == count

    refused(SimpleUploadedFile("run.exe", b"MZ...", "application/octet-stream"), code="type")
    refused(SimpleUploadedFile("fake.pdf", b"<html>", "application/pdf"), code="content")
    refused(SimpleUploadedFile("data.csv", b"\xff\xfe\x00\x00" * 100, "text/csv"), code="content")
    settings.AKARI_CONSULTATION_MAX_ATTACHMENT_BYTES = 10
    refused(SimpleUploadedFile("big.pdf", PDF, "application/pdf"), code="size")
    settings.AKARI_CONSULTATION_MAX_ATTACHMENT_BYTES = 10_000
    refused(
        *[SimpleUploadedFile(f"{i}.txt", b"hello", "text/plain") for i in range(4)], code="count"
    )


def test_a_consultation_becomes_a_membership_enquiry_with_its_data():
    staff = office()
    made = consultation(topic="coalition", body="We are interested in a gold membership.")
    enquiry = desk.consultation_to_enquiry(consultation=made, actor=staff)
    assert (enquiry.organisation_name, enquiry.contact_email, enquiry.facility) == (
        "Yamada Kogyo",
        "yamada@example.com",
        facility(),
    )
    assert "gold membership" in enquiry.interest
    with pytest.raises(ValidationError):
        desk.consultation_to_enquiry(consultation=made, actor=staff)
    assert MembershipEnquiry.objects.count() == 1
    desk.enquiry_set_status(enquiry=enquiry, to=MembershipEnquiry.Status.CONTACTED, actor=staff)
    with pytest.raises(ValidationError):
        desk.enquiry_set_status(
            enquiry=enquiry, to=MembershipEnquiry.Status.CLOSED, actor=UserFactory()
        )


def test_the_requester_starts_a_proposal_draft_with_the_consultation_s_data():
    from tests.proposals.factories import CallFactory

    call = CallFactory(pack="spring8")
    route = call.routes.first()
    person = UserFactory()
    made = consultation(
        requester=person,
        facility=facility("spring8"),
        topic="how_to_apply",
        subject="XAFS of catalysts",
        body="Pt nanoparticles on alumina.",
    )
    with pytest.raises(ValidationError):
        desk.consultation_start_proposal(consultation=made, call=call, route=route, actor=office())
    with clock.frozen(dt.datetime(2026, 3, 10, 10, tzinfo=clock.TOKYO)):
        proposal = desk.consultation_start_proposal(
            consultation=made, call=call, route=route, actor=person
        )
    assert (proposal.title, proposal.abstract) == (
        "XAFS of catalysts",
        "Pt nanoparticles on alumina.",
    )
    assert "Yamada Kogyo" in proposal.purpose
    made.refresh_from_db()
    assert made.proposal == proposal


def test_one_address_cannot_open_unverified_consultations_without_limit(settings):
    settings.AKARI_CONSULTATION_DAILY_LIMIT = 2
    consultation(verified=False, requester_email="flood@example.com")
    consultation(verified=False, requester_email="FLOOD@example.com")
    with pytest.raises(ValidationError) as err:
        consultation(verified=False, requester_email="flood@example.com")
    assert err.value.code == "limit"
    assert Consultation.objects.count() == 2
    with clock.frozen(clock.now() + dt.timedelta(hours=25)):
        consultation(verified=False, requester_email="flood@example.com")
    assert Consultation.objects.count() == 3

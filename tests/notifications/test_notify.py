"""notify(): stored in the caller's transaction, mailed after commit in the recipient's
language, never twice for the same key."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.template import TemplateDoesNotExist

from akari.notifications.models import Notification
from akari.notifications.services import notify
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def message(recipient, *, key="welcome:1", **extra):
    return notify(
        recipient=recipient,
        kind="notifications.message",
        context={"subject": "Your proposal 2026B0001", "body": "Received & queued."},
        dedupe_key=key,
        link="/proposals/1/",
        **extra,
    )


class Rollback(Exception):
    pass


def test_notify_in_a_rolled_back_transaction_stores_and_sends_nothing(
    ja_person, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        message(ja_person)
        assert Notification.objects.count() == 1  # visible inside the transaction
        raise Rollback

    assert Notification.objects.count() == 0
    assert callbacks == []
    assert mailoutbox == []


def test_nothing_is_sent_before_the_commit(ja_person, immediate_tasks, mailoutbox):
    # The test's own transaction never commits, so the on_commit hook never runs.
    notification = message(ja_person)

    assert mailoutbox == []
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert notification.email_attempts == 0


def test_after_commit_one_mail_in_japanese(
    ja_person, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.AKARI_SITE_URL = "https://akari.example.org/"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = message(ja_person)

    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == ["hana@example.jp"]
    assert sent.subject == "[Akari] Your proposal 2026B0001"
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sent.body == (
        "佐藤 花 様\n"
        "\n"
        "Received & queued.\n"
        "\n"
        "Akari ユーザーオフィス\n"
        "\n"
        "--\n"
        "Akari で開く: https://akari.example.org/proposals/1/\n"
        "お知らせの一覧: https://akari.example.org/inbox/\n"
        "このメールは Akari から自動送信されています。ご返信いただいても確認できません。\n"
    )
    notification.refresh_from_db()
    assert notification.language == "ja"
    assert notification.body == "佐藤 花 様\n\nReceived & queued.\n\nAkari ユーザーオフィス"
    assert notification.email_status == Notification.EmailStatus.SENT
    assert notification.email_attempts == 1
    assert notification.email_sent_at is not None


def test_after_commit_one_mail_in_english(
    en_person, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.AKARI_SITE_URL = "https://akari.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        message(en_person)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.org"]
    assert mailoutbox[0].body == (
        "Dear Alice Smith,\n"
        "\n"
        "Received & queued.\n"
        "\n"
        "The Akari user office\n"
        "\n"
        "--\n"
        "Open in Akari: https://akari.example.org/proposals/1/\n"
        "All your notifications: https://akari.example.org/inbox/\n"
        "This message was sent automatically by Akari; replies are not read.\n"
    )


def test_language_follows_the_recipient_not_the_active_language(
    en_person, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("ja"), django_capture_on_commit_callbacks(execute=True):
        notification = message(en_person)

    assert notification.body.startswith("Dear Alice Smith,")
    assert mailoutbox[0].body.startswith("Dear Alice Smith,")


def test_same_key_twice_one_row_one_mail(
    ja_person, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = message(ja_person, key="proposals.submitted:7")
        second = message(ja_person, key="proposals.submitted:7")

    assert second.pk == first.pk
    assert Notification.objects.count() == 1
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1


def test_same_key_in_a_later_transaction_sends_nothing_more(
    ja_person, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = message(ja_person, key="k")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = message(ja_person, key="k")

    assert again.pk == first.pk
    assert callbacks == []
    assert len(mailoutbox) == 1


def test_same_key_for_another_person_is_another_notification(
    ja_person, en_person, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message(ja_person, key="call.opened:3")
        message(en_person, key="call.opened:3")

    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.org", "hana@example.jp"]


def test_the_database_refuses_a_second_row_for_the_same_key(ja_person):
    NotificationFactory(recipient=ja_person, dedupe_key="k")

    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationFactory(recipient=ja_person, dedupe_key="k")


@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_with_the_same_key_make_one_notification_and_one_mail(immediate_tasks):
    # Two transactions race: the first inserts and holds its transaction open; the second's
    # insert waits on the unique index, fails when the first commits, and returns its row.
    person = UserFactory(preferred_language="en")
    mail.outbox = []
    inserted = threading.Event()
    results: dict[str, int] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = message(person, key="race").pk
                inserted.set()
                threading.Event().wait(0.5)  # the second caller is now blocked on the index
        except BaseException as error:
            errors.append(error)
            inserted.set()
        finally:
            connection.close()

    def second() -> None:
        try:
            inserted.wait(5)
            with transaction.atomic():
                results["second"] = message(person, key="race").pk
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert errors == []
    assert results["first"] == results["second"]
    assert Notification.objects.filter(recipient=person).count() == 1
    assert len(mail.outbox) == 1


def test_context_is_stored_as_json(ja_person):
    notification = notify(
        recipient=ja_person,
        kind="notifications.message",
        context={"subject": "Fee", "body": "Total", "amount": Decimal("480000"), "shifts": 6},
        dedupe_key="fee:1",
    )

    notification.refresh_from_db()
    assert notification.context == {
        "subject": "Fee",
        "body": "Total",
        "amount": "480000",
        "shifts": 6,
    }
    assert notification.kind == "notifications.message"
    assert notification.link == ""


def test_actor_is_recorded(ja_person):
    staff = UserFactory()

    notification = message(ja_person, actor=staff)

    assert notification.actor == staff


def test_subject_is_one_line_and_html_is_not_escaped(ja_person):
    notification = notify(
        recipient=ja_person,
        kind="notifications.message",
        context={"subject": "Beamtime\n  <BL02U> & more\n", "body": "A < B & C"},
        dedupe_key="s:1",
    )

    assert notification.subject == "[Akari] Beamtime <BL02U> & more"
    assert notification.title == "Beamtime <BL02U> & more"
    assert "A < B & C" in notification.body


def test_a_long_subject_is_cut_to_the_column(ja_person):
    notification = notify(
        recipient=ja_person,
        kind="notifications.message",
        context={"subject": "x" * 400, "body": ""},
        dedupe_key="long",
    )

    assert len(notification.subject) == 255
    assert notification.subject.endswith("x…")


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"kind": "message"}, ValueError),
        ({"kind": "Proposals.Submitted"}, ValueError),
        ({"kind": "proposals.submitted.extra"}, ValueError),
        ({"kind": "notifications.no_such_event"}, TemplateDoesNotExist),
        ({"link": "https://evil.example.com/"}, ValueError),
        ({"link": "//evil.example.com/"}, ValueError),
        ({"link": "proposals/1/"}, ValueError),
        ({"dedupe_key": ""}, ValueError),
        ({"context": {"subject": "s", "body": "b", "who": object()}}, TypeError),
    ],
)
def test_bad_calls_raise_and_store_nothing(ja_person, mailoutbox, arguments, error):
    call = {
        "recipient": ja_person,
        "kind": "notifications.message",
        "context": {"subject": "s", "body": "b"},
        "dedupe_key": "k",
        **arguments,
    }

    with pytest.raises(error):
        notify(**call)

    assert Notification.objects.count() == 0


def test_the_footer_does_not_repeat_a_link_the_body_already_shows(
    en_person, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.AKARI_SITE_URL = "https://akari.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=en_person,
            kind="notifications.message",
            context={"subject": "s", "body": "See https://akari.example.org/proposals/9/"},
            dedupe_key="k",
            link="/proposals/9/",
        )

    assert mailoutbox[0].body.count("https://akari.example.org/proposals/9/") == 1
    assert "Open in Akari:" not in mailoutbox[0].body


def test_dates_in_the_context_are_stored_as_iso_strings(ja_person):
    notification = notify(
        recipient=ja_person,
        kind="notifications.message",
        context={"subject": "Deadline {}", "body": "b", "deadline": dt.date(2026, 5, 1)},
        dedupe_key="d",
    )

    notification.refresh_from_db()
    assert notification.context["deadline"] == "2026-05-01"

"""The e-mail task: retried with backoff, marked failed after the last attempt, never sent
twice; and the cron command that re-enqueues what a dead worker left behind."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from akari.core import clock
from akari.core.workflow import history
from akari.notifications.models import Notification
from akari.notifications.services import Outcome, notify
from akari.notifications.tasks import send_notification_email

pytestmark = pytest.mark.django_db


def message(recipient, key="k"):
    return notify(
        recipient=recipient,
        kind="notifications.message",
        context={"subject": "Hello", "body": "Body"},
        dedupe_key=key,
    )


def test_a_mail_server_failing_twice_then_working_sends_one_mail_on_the_third_attempt(
    ja_person, immediate_tasks, flaky_mail, mailoutbox, django_capture_on_commit_callbacks
):
    flaky_mail.failures_left = 2

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = message(ja_person)

    notification.refresh_from_db()
    assert len(callbacks) == 3  # the first enqueue and two retries
    assert flaky_mail.attempts == 3
    assert len(mailoutbox) == 1
    assert notification.email_status == Notification.EmailStatus.SENT
    assert notification.email_attempts == 3
    assert notification.email_last_error == "SMTPServerDisconnected: mail server went away"
    assert [(e.from_status, e.to_status) for e in history(notification, "email_status")] == [
        ("pending", "sent")
    ]


def test_a_mail_server_that_always_fails_marks_the_notification_failed_after_max_attempts(
    ja_person,
    immediate_tasks,
    flaky_mail,
    mailoutbox,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.AKARI_NOTIFICATION_MAX_ATTEMPTS = 3  # read when the task runs, not at import
    flaky_mail.failures_left = -1

    with django_capture_on_commit_callbacks(execute=True):
        notification = message(ja_person)

    notification.refresh_from_db()
    assert flaky_mail.attempts == 3
    assert mailoutbox == []
    assert notification.email_status == Notification.EmailStatus.FAILED
    assert notification.email_attempts == 3
    assert notification.email_sent_at is None
    assert notification.email_next_attempt_at is None
    events = list(history(notification, "email_status"))
    assert [(e.from_status, e.to_status, e.reason) for e in events] == [
        ("pending", "failed", "SMTPServerDisconnected: mail server went away")
    ]


def test_default_max_attempts_is_five(
    ja_person, immediate_tasks, flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures_left = -1

    with django_capture_on_commit_callbacks(execute=True):
        notification = message(ja_person)

    notification.refresh_from_db()
    assert flaky_mail.attempts == 5
    assert notification.email_status == Notification.EmailStatus.FAILED


def test_retries_are_enqueued_with_exponential_backoff(
    ja_person, database_tasks, flaky_mail, frozen_clock, django_capture_on_commit_callbacks
):
    # The production backend: the first enqueue runs as soon as a worker is free; each failed
    # attempt enqueues the next one 60 s, then 120 s, 240 s ... later.
    flaky_mail.failures_left = -1
    with django_capture_on_commit_callbacks(execute=True):
        notification = message(ja_person)
    first = DBTaskResult.objects.get()
    assert first.task_path == "akari.notifications.tasks.send_notification_email"
    assert first.args_kwargs == {"args": [notification.pk], "kwargs": {}}
    assert first.task.run_after is None

    runs = []
    for minutes in (0, 1, 3):  # a worker runs each task when it is due
        with (
            clock.frozen(frozen_clock + dt.timedelta(minutes=minutes)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            runs.append(send_notification_email.call(notification.pk))

    assert runs == ["retry", "retry", "retry"]
    assert [r.task.run_after for r in DBTaskResult.objects.order_by("enqueued_at")[1:]] == [
        frozen_clock + dt.timedelta(minutes=1),
        frozen_clock + dt.timedelta(minutes=3),
        frozen_clock + dt.timedelta(minutes=7),
    ]
    notification.refresh_from_db()
    assert notification.email_attempts == 3
    assert notification.email_next_attempt_at == frozen_clock + dt.timedelta(minutes=7)


def test_a_task_run_before_its_retry_is_due_does_nothing(
    ja_person, database_tasks, flaky_mail, frozen_clock, django_capture_on_commit_callbacks
):
    flaky_mail.failures_left = 1
    with django_capture_on_commit_callbacks(execute=True):
        notification = message(ja_person)
        assert send_notification_email.call(notification.pk) == Outcome.RETRY

    # A duplicate task (e.g. from the cron safety net) arrives 30 s later: not due yet.
    with clock.frozen(frozen_clock + dt.timedelta(seconds=30)):
        assert send_notification_email.call(notification.pk) == Outcome.SKIPPED
    assert flaky_mail.attempts == 1

    with clock.frozen(frozen_clock + dt.timedelta(seconds=60)):
        assert send_notification_email.call(notification.pk) == Outcome.SENT
    assert flaky_mail.attempts == 2


def test_running_the_task_twice_sends_once(
    ja_person, database_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = message(ja_person)

    assert send_notification_email.call(notification.pk) == Outcome.SENT
    assert send_notification_email.call(notification.pk) == Outcome.SKIPPED
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.email_attempts == 1


def test_a_failed_notification_is_not_retried_by_a_stray_task(
    ja_person, database_tasks, flaky_mail, settings, django_capture_on_commit_callbacks
):
    settings.AKARI_NOTIFICATION_MAX_ATTEMPTS = 1
    flaky_mail.failures_left = -1
    with django_capture_on_commit_callbacks(execute=True):
        notification = message(ja_person)
    assert send_notification_email.call(notification.pk) == Outcome.FAILED

    assert send_notification_email.call(notification.pk) == Outcome.SKIPPED
    assert flaky_mail.attempts == 1


def test_a_task_for_a_deleted_notification_does_nothing(ja_person, database_tasks):
    notification = message(ja_person)
    pk = notification.pk
    notification.delete()

    assert send_notification_email.call(pk) == Outcome.SKIPPED


def run_command(**options) -> str:
    out = io.StringIO()
    call_command("send_pending_notifications", stdout=out, **options)
    return out.getvalue().strip()


def test_the_cron_command_re_enqueues_overdue_pending_mails_once(
    ja_person, database_tasks, frozen_clock, mailoutbox, django_capture_on_commit_callbacks
):
    # The worker died: the task enqueued at creation was lost.
    with django_capture_on_commit_callbacks(execute=True):
        overdue = message(ja_person, key="old")
    DBTaskResult.objects.all().delete()
    later = frozen_clock + dt.timedelta(minutes=15)
    with clock.frozen(later):
        with django_capture_on_commit_callbacks(execute=True):
            message(ja_person, key="recent")  # its task is queued and not overdue
        queued = set(DBTaskResult.objects.values_list("pk", flat=True))

        with django_capture_on_commit_callbacks(execute=True):
            assert run_command() == "1 pending notification e-mail(s) enqueued again."
            assert run_command() == "0 pending notification e-mail(s) enqueued again."

    enqueued = DBTaskResult.objects.exclude(pk__in=queued)
    assert [r.args_kwargs["args"] for r in enqueued] == [[overdue.pk]]
    overdue.refresh_from_db()
    assert overdue.email_next_attempt_at == later
    with clock.frozen(later):
        assert send_notification_email.call(overdue.pk) == Outcome.SENT
    assert [m.subject for m in mailoutbox] == ["[Akari] Hello"]


def test_the_cron_command_leaves_sent_failed_and_scheduled_retries_alone(
    ja_person, database_tasks, frozen_clock, django_capture_on_commit_callbacks
):
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=ja_person,
                kind="notifications.message",
                dedupe_key=f"k{status}",
                language="ja",
                subject="s",
                body="b",
                email_status=status,
                email_next_attempt_at=next_at,
            )
            for status, next_at in [
                (Notification.EmailStatus.SENT, None),
                (Notification.EmailStatus.FAILED, None),
                # a retry scheduled in the future is not overdue
                (Notification.EmailStatus.PENDING, frozen_clock + dt.timedelta(minutes=8)),
            ]
        ]
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert run_command(older_than=0) == "0 pending notification e-mail(s) enqueued again."
    assert DBTaskResult.objects.count() == 0

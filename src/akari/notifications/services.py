"""Every write of the notifications app.

Other apps tell a person something with one call, inside their own transaction::

    from akari.notifications.services import notify

    notify(
        recipient=proposal.principal_investigator,
        kind="proposals.submitted",          # templates proposals/notifications/submitted_*.txt
        context={"proposal_number": "2026B0001", "title": proposal.title},
        dedupe_key=f"proposals.submitted:{proposal.pk}",
        link=f"/proposals/{proposal.pk}/",
        actor=request.user,
    )

The row is written in the caller's transaction; the e-mail is enqueued only when that
transaction commits (``transaction.on_commit``), so a rolled-back action leaves neither a row nor
a mail. The same (recipient, dedupe_key) never notifies twice: a second call returns the first
row and sends nothing, even when both calls race (a unique constraint decides).

Delivery is at least once, at most once per success: a task sends under a row lock and marks the
row sent in the same transaction; a failed attempt is recorded and retried with exponential
backoff (``AKARI_NOTIFICATION_RETRY_DELAY`` seconds, doubled each time, default 60) until
``AKARI_NOTIFICATION_MAX_ATTEMPTS`` (default 5) attempts have failed, then the row is marked
failed. Settings are read at call time.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from akari.accounts.models import User
from akari.core import clock
from akari.core.workflow import transition
from akari.notifications.models import Notification
from akari.notifications.rendering import (
    absolute_url,
    json_context,
    render_notification,
    render_text,
    tidy_body,
)

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_DELAY_SECONDS = 60
ERROR_MAX_LENGTH = 2000


class Outcome(enum.StrEnum):
    """What one run of the e-mail task did."""

    SENT = "sent"
    RETRY = "retry"  # the attempt failed; another is scheduled
    FAILED = "failed"  # the last allowed attempt failed
    SKIPPED = "skipped"  # already sent or failed, not due yet, or gone


def max_attempts() -> int:
    return int(getattr(settings, "AKARI_NOTIFICATION_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait after the ``attempts``-th failed attempt: base, 2 x base, 4 x base ..."""
    base = float(getattr(settings, "AKARI_NOTIFICATION_RETRY_DELAY", DEFAULT_RETRY_DELAY_SECONDS))
    return dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def validate_link(link: str) -> str:
    """An in-app link is a path on this site ("/proposals/12/"), never another site."""
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"A notification link must be a path on this site, not {link!r}.")
    return link


@transaction.atomic
def notify(
    *,
    recipient: User,
    kind: str,
    context: Mapping[str, Any] | None = None,
    dedupe_key: str,
    link: str = "",
    actor: User | None = None,
) -> Notification:
    """Tell ``recipient`` something: an inbox entry now, an e-mail after commit.

    Idempotent per (recipient, dedupe_key): returns the existing notification if there is one.
    Raises ``ValueError`` for a malformed kind or link, ``TypeError`` for a context that is not
    JSON-serialisable and ``TemplateDoesNotExist`` when the kind has no templates.
    """
    if not dedupe_key:
        raise ValueError("A notification needs a dedupe_key.")
    validate_link(link)
    stored_context = json_context(context)
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        template_context = {
            "recipient_name": recipient.display_name,
            "link_url": absolute_url(link),
            **stored_context,
        }
    rendered = render_notification(kind=kind, context=template_context, language=language)
    notification, created = Notification.objects.get_or_create(
        recipient=recipient,
        dedupe_key=dedupe_key,
        defaults={
            "kind": kind,
            "actor": actor,
            "language": language,
            "subject": rendered.subject,
            "body": rendered.body,
            "link": link,
            "context": stored_context,
            "email_next_attempt_at": clock.now(),
        },
    )
    if created:
        transaction.on_commit(partial(_enqueue, notification.pk), robust=True)
    return notification


def _enqueue(notification_id: int, run_after: dt.datetime | None = None) -> None:
    from akari.notifications.tasks import enqueue_email

    enqueue_email(notification_id, run_after=run_after)


def _can_defer() -> bool:
    from akari.notifications.tasks import can_defer

    return can_defer()


def _inbox_url() -> str:
    try:
        return absolute_url(reverse("notifications:inbox"))
    except NoReverseMatch:  # the inbox is not mounted (a project without the page)
        return ""


def email_message(notification: Notification) -> EmailMessage:
    """The e-mail of a notification: its subject and body, and a footer in the same language
    with the link (unless the body already shows it) and the inbox address."""
    link_url = absolute_url(notification.link)
    footer = render_text(
        "notifications/email_footer.txt",
        {
            "link_url": "" if link_url in notification.body else link_url,
            "inbox_url": _inbox_url(),
        },
        notification.language,
    )
    return EmailMessage(
        subject=notification.subject,
        body=f"{notification.body}\n\n{tidy_body(footer)}\n",
        to=[notification.recipient.email],
        headers={
            "Auto-Submitted": "auto-generated",
            "X-Akari-Notification": f"{notification.kind} {notification.pk}",
        },
    )


def notification_email_send(*, notification_id: int) -> Outcome:
    """One delivery attempt (run by the task). Safe to run twice or concurrently.

    The row is locked for the attempt, so a second run waits and then sees it sent. A
    notification that is not pending, or whose next attempt is not due yet, is left alone.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.email_status != Notification.EmailStatus.PENDING:
            return Outcome.SKIPPED
        now = clock.now()
        due = notification.email_next_attempt_at
        if due is not None and due > now:
            return Outcome.SKIPPED
        attempts = notification.email_attempts + 1
        try:
            email_message(notification).send(
                using=getattr(settings, "AKARI_NOTIFICATION_MAILER", "default")
            )
        except Exception as error:
            return _attempt_failed(notification, attempts=attempts, error=error, now=now)
        transition(
            notification,
            Notification.EmailStatus.SENT,
            actor=None,
            field="email_status",
            extra_updates={
                "email_attempts": attempts,
                "email_sent_at": now,
                "email_next_attempt_at": None,
            },
        )
        return Outcome.SENT


def _attempt_failed(
    notification: Notification, *, attempts: int, error: Exception, now: dt.datetime
) -> Outcome:
    message = f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
    logger.warning(
        "Notification %s: e-mail attempt %s failed: %s", notification.pk, attempts, message
    )
    if attempts >= max_attempts():
        transition(
            notification,
            Notification.EmailStatus.FAILED,
            actor=None,
            reason=message,
            field="email_status",
            extra_updates={
                "email_attempts": attempts,
                "email_last_error": message,
                "email_next_attempt_at": None,
            },
        )
        return Outcome.FAILED
    # A backend that cannot defer (the immediate one of tests) runs the retry at once.
    run_after = now + retry_delay(attempts) if _can_defer() else now
    notification.email_attempts = attempts
    notification.email_last_error = message
    notification.email_next_attempt_at = run_after
    notification.save(update_fields=["email_attempts", "email_last_error", "email_next_attempt_at"])
    transaction.on_commit(partial(_enqueue, notification.pk, run_after), robust=True)
    return Outcome.RETRY


@transaction.atomic
def notification_email_retry(*, notification: Notification, actor: User) -> Notification:
    """Staff send a failed e-mail again (e.g. after the mail server was fixed): the attempt
    count starts afresh and the e-mail is enqueued after commit."""
    notification = transition(
        notification,
        Notification.EmailStatus.PENDING,
        actor=actor,
        reason="resend",
        field="email_status",
        extra_updates={"email_attempts": 0, "email_next_attempt_at": clock.now()},
    )
    transaction.on_commit(partial(_enqueue, notification.pk), robust=True)
    return notification


def notifications_requeue_pending(*, older_than: dt.timedelta) -> int:
    """Enqueue again every pending e-mail whose attempt is overdue by ``older_than`` (a worker
    died, or the queue lost the task). Returns how many were enqueued.

    Idempotent: the overdue mark moves to now, so a second run within ``older_than`` finds
    nothing; and a duplicate task is harmless (the task skips sent or not-yet-due rows).
    """
    now = clock.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(
                email_status=Notification.EmailStatus.PENDING,
                email_next_attempt_at__lte=now - older_than,
            )
            .order_by("email_next_attempt_at", "pk")
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(email_next_attempt_at=now, updated_at=now)
        for notification_id in ids:
            transaction.on_commit(partial(_enqueue, notification_id), robust=True)
    return len(ids)


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (already-read ones keep their time)."""
    if notification.recipient_id != user.pk:
        raise PermissionError("People mark only their own notifications read.")
    now = clock.now()
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
    notification.refresh_from_db(fields=["read_at", "updated_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    now = clock.now()
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )

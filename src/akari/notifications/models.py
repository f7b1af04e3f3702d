"""What Akari tells a person: one row per (recipient, event), shown in the inbox and e-mailed.

The subject and body are rendered once, when the notification is created, in the recipient's
preferred language, so the inbox and the e-mail say the same thing even if templates or the
person's language change later. The e-mail has its own small workflow (``email_status``:
pending -> sent | failed, failed -> pending when staff send it again) changed only through
:func:`akari.core.workflow.transition`, so every outcome leaves a status event.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from akari.core.models import TimeStampedModel


class Notification(TimeStampedModel):
    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    EMAIL_STATUS_TRANSITIONS = {
        EmailStatus.PENDING: {EmailStatus.SENT, EmailStatus.FAILED},
        EmailStatus.FAILED: {EmailStatus.PENDING},
    }

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("The person whose action caused the notification, if any."),
    )
    kind = models.CharField(
        _("kind"), max_length=100, help_text=_("“<app>.<event>”, e.g. proposals.submitted.")
    )
    dedupe_key = models.CharField(
        _("deduplication key"),
        max_length=255,
        help_text=_("A person is never notified twice with the same key."),
    )
    language = models.CharField(_("language"), max_length=2)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    email_status = models.CharField(
        _("e-mail status"), max_length=10, choices=EmailStatus, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_last_error = models.TextField(_("last e-mail error"), blank=True)
    email_next_attempt_at = models.DateTimeField(_("next e-mail attempt"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("resend_notification", _("Can send a failed notification e-mail again")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notifications_once_per_recipient_key"
            ),
            models.CheckConstraint(
                condition=Q(kind__regex=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"),
                name="notifications_kind_app_dot_event",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notif_unread_idx",
            ),
            models.Index(
                fields=["email_next_attempt_at"],
                condition=Q(email_status="pending"),
                name="notif_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def title(self) -> str:
        """The subject without the e-mail prefix, for the inbox."""
        return self.subject.removeprefix("[Akari] ")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

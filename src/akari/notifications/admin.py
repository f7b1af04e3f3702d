"""Read-only admin of notifications, for the user office to answer "did they get the mail?".

Nothing is edited here; the one action sends failed e-mails again (through
:func:`akari.notifications.services.notification_email_retry`, which records who did it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from akari.core.admin_base import ReadOnlyAdmin
from akari.notifications import services
from akari.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "recipient",
        "kind",
        "subject",
        "email_status",
        "email_attempts",
        "read_at",
    ]
    list_filter = ["email_status", "kind", "language"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "subject", "dedupe_key"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    actions = ["resend_email"]
    fieldsets = [
        (None, {"fields": ["recipient", "actor", "kind", "dedupe_key", "language", "link"]}),
        (_("Message"), {"fields": ["subject", "body", "context"]}),
        (
            _("Delivery"),
            {
                "fields": [
                    "email_status",
                    "email_attempts",
                    "email_next_attempt_at",
                    "email_sent_at",
                    "email_last_error",
                    "read_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Notification._meta.fields]

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.resend_notification")

    @admin.action(description=_("Send the failed e-mails again"), permissions=["resend"])
    def resend_email(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        failed = list(queryset.filter(email_status=Notification.EmailStatus.FAILED))
        for notification in failed:
            services.notification_email_retry(
                notification=notification,
                actor=request.user,  # type: ignore[arg-type]
            )
        skipped = queryset.count() - len(failed)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail will be sent again.",
                "%(count)d e-mails will be sent again.",
                len(failed),
            )
            % {"count": len(failed)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d notification was skipped: only failed e-mails are sent again.",
                    "%(count)d notifications were skipped: only failed e-mails are sent again.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

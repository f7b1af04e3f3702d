"""Access rules: a notification is private to its recipient. Staff read them in the admin
(read-only, with ``notifications.view_notification``), never through the inbox."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from akari.notifications.models import Notification


def visible_to(user: Any) -> QuerySet[Notification]:
    """The notifications ``user`` may see in the inbox: their own, nobody else's."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def get_notification_for(user: Any, pk: int) -> Notification:
    """One of the user's notifications, or 404 (also for another person's: no hint it exists)."""
    notification = visible_to(user).filter(pk=pk).first()
    if notification is None:
        raise Http404(_("No such notification."))
    return notification

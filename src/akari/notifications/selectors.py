"""Reads of the inbox, already scoped to the viewer through :mod:`permissions`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from akari.notifications.models import Notification
from akari.notifications.permissions import visible_to

INBOX_PAGE_SIZE = 25


def inbox(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first, without the stored context (not shown)."""
    return visible_to(user).defer("context").order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread: one COUNT on a partial index, or no
    query at all for an anonymous visitor."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return visible_to(user).filter(read_at__isnull=True).count()

"""``unread_notifications_count`` for the navigation badge.

Add ``"akari.notifications.context_processors.unread_notifications"`` to the template context
processors. The value is lazy: a page that does not show it costs no query, a page that does
costs one ``COUNT`` (however often the template uses it), anonymous visitors none. In a
template::

    {% if unread_notifications_count %}
      <span class="badge">{{ unread_notifications_count }}</span>
    {% endif %}
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from akari.notifications import selectors


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"unread_notifications_count": SimpleLazyObject(lambda: selectors.unread_count(user))}

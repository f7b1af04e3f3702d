"""Who may see and do what on the public site (the one place for these rules).

* Everyone (also without an account) reads published news whose ``publish_at`` has come, and
  published or cancelled events; drafts do not exist for them (404).
* Content staff (the user office and system administrators) write news and events in both
  languages, preview drafts, publish them, see attendee lists, export them and mark attendance.
* Registering for an event needs an account (the waitlist, reminders and training records are
  kept per person); a person sees and cancels only their own registrations.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from akari.accounts.roles import Role, has_role
from akari.core import clock
from akari.outreach.models import Event, NewsItem, Registration

CONTENT_STAFF_ROLES = (Role.USER_OFFICE, Role.SYSTEM_ADMIN)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_content_staff(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser or has_role(user, *CONTENT_STAFF_ROLES))


def can_edit_news(user: Any, item: NewsItem | None = None) -> bool:
    return is_content_staff(user)


def can_manage_event(user: Any, event: Event | None = None) -> bool:
    return is_content_staff(user)


def news_visible_to(user: Any) -> QuerySet[NewsItem]:
    if is_content_staff(user):
        return NewsItem.objects.all()
    return published_news()


def published_news() -> QuerySet[NewsItem]:
    """What the public sees: published, and its publication instant has come."""
    return NewsItem.objects.filter(status=NewsItem.Status.PUBLISHED, publish_at__lte=clock.now())


def get_news_for(user: Any, pk: int) -> NewsItem:
    try:
        return news_visible_to(user).select_related("facility").get(pk=pk)
    except NewsItem.DoesNotExist as missing:
        raise Http404("No such news item.") from missing


def events_visible_to(user: Any) -> QuerySet[Event]:
    if is_content_staff(user):
        return Event.objects.all()
    return Event.objects.filter(Q(status=Event.Status.PUBLISHED) | Q(status=Event.Status.CANCELLED))


def get_event_for(user: Any, pk: int) -> Event:
    try:
        return events_visible_to(user).select_related("facility").get(pk=pk)
    except Event.DoesNotExist as missing:
        raise Http404("No such event.") from missing


def can_register(user: Any, event: Event) -> bool:
    return _signed_in(user) and event.registration_is_open(clock.now())


def registrations_of(user: Any) -> QuerySet[Registration]:
    if not _signed_in(user):
        return Registration.objects.none()
    return Registration.objects.filter(person_id=user.pk)


def get_own_registration(user: Any, pk: int) -> Registration:
    """A registration of ``user`` (404 for anyone else's: staff use the attendee list)."""
    try:
        return registrations_of(user).select_related("event").get(pk=pk)
    except Registration.DoesNotExist as missing:
        raise Http404("No such registration.") from missing


def get_registration_for_staff(user: Any, pk: int) -> Registration:
    if not is_content_staff(user):
        raise Http404("No such registration.")
    try:
        return Registration.objects.select_related("event", "person").get(pk=pk)
    except Registration.DoesNotExist as missing:
        raise Http404("No such registration.") from missing


def can_see_online_url(user: Any, event: Event, registration: Registration | None) -> bool:
    if is_content_staff(user):
        return True
    return registration is not None and registration.status in Registration.HOLDS_SEAT

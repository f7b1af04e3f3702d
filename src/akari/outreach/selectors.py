"""Reads of the public site, scoped by :mod:`akari.outreach.permissions` and with their
related rows fetched up front (a constant number of queries per page)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from akari.core import clock
from akari.facility.models import Beamline, BeamlinePolicyArea, PolicyArea
from akari.outreach import permissions
from akari.outreach.models import Audience, Event, NewsItem, Registration


def latest_news(user: Any = None, *, audience: str = "", limit: int = 5) -> list[NewsItem]:
    """Published news, newest first (one query; staff too see only what the public sees)."""
    queryset = permissions.published_news().select_related("facility")
    if audience:
        queryset = queryset.filter(audiences__code=audience)
    return list(queryset.order_by("-publish_at", "-pk")[:limit])


def news_page(user: Any) -> QuerySet[NewsItem]:
    return (
        permissions.published_news()
        .select_related("facility")
        .prefetch_related("audiences")
        .order_by("-publish_at", "-pk")
    )


def staff_news(user: Any) -> QuerySet[NewsItem]:
    return (
        permissions.news_visible_to(user)
        .select_related("facility", "author")
        .prefetch_related("audiences")
        .order_by("status", "-publish_at", "-pk")
    )


def _with_counts(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__seat__isnull=False)),
        waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
    )


def upcoming_events(
    user: Any = None, *, audience: str = "", limit: int | None = 5, with_audiences: bool = False
) -> list[Event]:
    """Published events that have not ended, soonest first, with their seat counts."""
    queryset = _with_counts(
        Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gt=clock.now())
    ).select_related("facility")
    if with_audiences:
        queryset = queryset.prefetch_related("audiences")
    if audience:
        queryset = queryset.filter(audiences__code=audience)
    queryset = queryset.order_by("starts_at", "pk")
    return list(queryset if limit is None else queryset[:limit])


def past_events(*, limit: int = 10) -> list[Event]:
    return list(
        Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__lte=clock.now())
        .select_related("facility")
        .order_by("-starts_at")[:limit]
    )


def staff_events(user: Any) -> QuerySet[Event]:
    return (
        _with_counts(permissions.events_visible_to(user))
        .select_related("facility")
        .order_by("-starts_at", "-pk")
    )


def event_counts(event: Event) -> tuple[int, int]:
    """(seats taken, people waiting) of one event."""
    row = _with_counts(Event.objects.filter(pk=event.pk)).values("seats_taken", "waiting").get()  # type: ignore[misc]
    return row["seats_taken"], row["waiting"]


def own_registration(user: Any, event: Event) -> Registration | None:
    return (
        permissions.registrations_of(user)
        .filter(event=event, status__in=Registration.ACTIVE)
        .first()
    )


def my_registrations(user: Any) -> QuerySet[Registration]:
    return (
        permissions.registrations_of(user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event", "event__facility")
        .order_by("-event__starts_at")
    )


def attendees(event: Event) -> QuerySet[Registration]:
    """Everyone of an event: seats in seat order, then the waitlist, then the cancelled."""
    return (
        event.registrations.select_related("person")
        .prefetch_related("person__affiliations__organisation")
        .order_by("seat", "waitlist_position", "pk")
    )


def audiences() -> list[Audience]:
    return list(Audience.objects.all())


def coalition_map() -> tuple[list[PolicyArea], list[Beamline]]:
    """The seed's table: coalition beamlines against policy areas, with what each contributes
    (three queries)."""
    areas = list(PolicyArea.objects.all())
    beamlines = list(
        Beamline.objects.filter(access_scheme=Beamline.AccessScheme.COALITION)
        .exclude(status=Beamline.Status.RETIRED)
        .select_related("facility")
        .prefetch_related(
            Prefetch(
                "policy_area_links",
                queryset=BeamlinePolicyArea.objects.select_related("policy_area"),
            ),
            "end_stations",
        )
        .order_by("facility__code", "code")
    )
    for beamline in beamlines:
        by_area = {link.policy_area_id: link for link in beamline.policy_area_links.all()}
        beamline.cells = [by_area.get(area.pk) for area in areas]  # type: ignore[attr-defined]
    return areas, beamlines


def measurable_beamlines() -> list[Beamline]:
    """Every operating beamline with its end stations: "what each can measure"."""
    return list(
        Beamline.objects.exclude(status=Beamline.Status.RETIRED)
        .select_related("facility")
        .prefetch_related(
            Prefetch(
                "policy_area_links",
                queryset=BeamlinePolicyArea.objects.select_related("policy_area"),
            ),
            "end_stations",
        )
        .order_by("facility__code", "code")
    )

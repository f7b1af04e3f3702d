"""Reads of the support services, scoped through :mod:`akari.services.permissions`."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from akari.core import clock
from akari.services import permissions
from akari.services.models import (
    CompanyNeed,
    Consultation,
    ConsultationMessage,
    MatchSuggestion,
    Queue,
    ServiceOrder,
)

DEFAULT_FIGURES_DAYS = 90


def consultation_queue(user: Any, *, queue: str = "", status: str = "") -> QuerySet[Consultation]:
    qs = permissions.staff_consultations(user).select_related("facility", "assignee")
    if queue:
        qs = qs.filter(queue=queue)
    qs = qs.filter(status=status) if status else qs.filter(status__in=Consultation.OPEN)
    return qs.order_by("verified_at", "pk")


def thread(consultation: Consultation) -> QuerySet[ConsultationMessage]:
    return consultation.messages.select_related("author").prefetch_related("attachments")


def _percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (the value below which ``fraction`` of the values lie)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class QueueFigures:
    queue: str
    label: str
    open_by_status: dict[str, int]
    open_total: int
    answered: int
    median_hours: float | None
    p90_hours: float | None


def response_figures(user: Any) -> list[QueueFigures]:
    """Per queue the user works: open consultations by status, and the time to the first staff
    response (median and 90th percentile, in hours) of consultations verified in the last
    ``AKARI_CONSULTATION_FIGURES_DAYS`` days (default 90). Two queries."""
    queues = [q for q in Queue if str(q) in permissions.queues_of(user)]
    verified = Consultation.objects.filter(verified_at__isnull=False, queue__in=queues)
    counts = Counter(
        (row["queue"], row["status"])
        for row in verified.filter(status__in=Consultation.OPEN).values("queue", "status")
    )
    days = int(getattr(settings, "AKARI_CONSULTATION_FIGURES_DAYS", DEFAULT_FIGURES_DAYS))
    since = clock.now() - dt.timedelta(days=days)
    hours: dict[str, list[float]] = {str(q): [] for q in queues}
    for queue, verified_at, first in verified.filter(
        verified_at__gte=since, first_response_at__isnull=False
    ).values_list("queue", "verified_at", "first_response_at"):
        assert verified_at is not None and first is not None
        hours[queue].append(max(0.0, (first - verified_at).total_seconds() / 3600))
    figures = []
    for q in queues:
        by_status = {str(s): counts.get((str(q), str(s)), 0) for s in Consultation.OPEN}
        values = hours[str(q)]
        figures.append(
            QueueFigures(
                queue=str(q),
                label=str(q.label),
                open_by_status=by_status,
                open_total=sum(by_status.values()),
                answered=len(values),
                median_hours=round(statistics.median(values), 1) if values else None,
                p90_hours=round(_percentile(values, 0.9), 1) if values else None,
            )
        )
    return figures


def my_consultations(user: Any) -> QuerySet[Consultation]:
    return permissions.own_consultations(user).select_related("facility").order_by("-created_at")


# --- Matching ---------------------------------------------------------------------------------


def my_needs(user: Any) -> QuerySet[CompanyNeed]:
    return (
        permissions.needs_owned_by(user)
        .select_related("organisation", "facility")
        .annotate(
            suggested=Count("suggestions"),
            contacted=Count(
                "suggestions", filter=~Q(suggestions__status=MatchSuggestion.Status.SUGGESTED)
            ),
        )
    )


def need_suggestions(need: CompanyNeed) -> QuerySet[MatchSuggestion]:
    return need.suggestions.select_related("profile__person").order_by("rank")


def researcher_requests(user: Any) -> QuerySet[MatchSuggestion]:
    return (
        MatchSuggestion.objects.filter(profile__person_id=user.pk)
        .exclude(status=MatchSuggestion.Status.SUGGESTED)
        .select_related("need__organisation", "need__owner")
        .order_by("-contacted_at")
    )


def funnel() -> dict[str, int]:
    """Needs → suggestions → contacts → accepted (counts only; no need's text)."""
    by_status = Counter(MatchSuggestion.objects.values_list("status", flat=True))
    contacted = sum(by_status[s] for s in ("contacted", "accepted", "declined"))
    return {
        "needs": CompanyNeed.objects.count(),
        "needs_with_suggestions": CompanyNeed.objects.filter(suggestions__isnull=False)
        .distinct()
        .count(),
        "suggestions": sum(by_status.values()),
        "contacted": contacted,
        "accepted": by_status["accepted"],
        "declined": by_status["declined"],
        "awaiting": by_status["contacted"],
    }


# --- Orders -----------------------------------------------------------------------------------


def my_orders(user: Any) -> QuerySet[ServiceOrder]:
    return (
        ServiceOrder.objects.filter(requester_id=user.pk)
        .select_related("facility", "beamline", "organisation")
        .order_by("-created_at")
    )


def order_queue(user: Any, *, status: str = "", finished: bool = False) -> QuerySet[ServiceOrder]:
    qs = permissions.orders_visible_to(user).select_related(
        "facility", "beamline", "organisation", "requester", "handled_by"
    )
    if status:
        return qs.filter(status=status).order_by("deadline", "pk")
    if finished:
        return qs.filter(status__in=ServiceOrder.FINISHED).order_by("-updated_at")
    return qs.exclude(status__in=ServiceOrder.FINISHED).order_by("deadline", "pk")


def order_detail(order: ServiceOrder) -> dict[str, Any]:
    from akari.core.workflow import history
    from akari.proposals.models import Hazard

    labels = dict(ServiceOrder.Status.choices)
    hazards = dict(Hazard.choices)
    samples = list(order.samples.all())
    for sample in samples:
        sample.hazard_labels = [str(hazards.get(h, h)) for h in sample.hazards]  # type: ignore[attr-defined]
    return {
        "order": order,
        "samples": samples,
        "quote_lines": list(order.quote_lines.all()),
        "events": [
            {"at": e.at, "label": labels.get(e.to_status, e.to_status), "actor": e.actor}
            for e in history(order)
        ],
    }

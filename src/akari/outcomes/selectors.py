"""Reads of outcomes, with their related rows fetched up front."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from akari.beamtime.models import Experiment
from akari.core import clock
from akari.outcomes import permissions
from akari.outcomes.models import (
    ExperimentReport,
    Obligation,
    Publication,
    PublicationAuthor,
    SurveyAnswer,
)


def _authors() -> Prefetch:  # type: ignore[type-arg,unused-ignore]
    return Prefetch("authors", queryset=PublicationAuthor.objects.order_by("position"))


def public_publications(filters: dict[str, Any]) -> QuerySet[Publication]:
    rows = permissions.public_publications()
    if filters.get("beamline"):
        rows = rows.filter(beamlines=filters["beamline"])
    if filters.get("year"):
        rows = rows.filter(year=filters["year"])
    if filters.get("field"):
        rows = rows.filter(field=filters["field"])
    if filters.get("programme"):
        rows = rows.filter(programme=filters["programme"])
    return (
        rows.select_related("field", "facility")
        .prefetch_related(_authors(), "beamlines")
        .order_by("-year", "title")
    )


def public_reports(beamline: Any | None = None) -> QuerySet[ExperimentReport]:
    rows = permissions.public_reports()
    if beamline is not None:
        rows = rows.filter(obligation__experiment__beamline=beamline)
    return rows.select_related("obligation__experiment__beamline").order_by("-public_from")


def my_obligations(user: Any) -> QuerySet[Obligation]:
    return (
        permissions.obligations_visible_to(user)
        .filter(Q(responsible=user) | Q(experiment__participants=user))
        .distinct()
        .select_related("experiment__beamline", "responsible", "report")
        .order_by("status", "due")
    )


def queue(filters: dict[str, Any]) -> QuerySet[Obligation]:
    rows = Obligation.objects.all()
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("overdue"):
        rows = rows.filter(status=Obligation.Status.OVERDUE)
    if filters.get("facility"):
        rows = rows.filter(experiment__beamline__facility=filters["facility"])
    return rows.select_related("experiment__beamline", "responsible", "report").order_by(
        "due", "pk"
    )


def my_finished_experiments(user: Any) -> QuerySet[Experiment]:
    return (
        permissions.experiments_of(user)
        .filter(end__lte=clock.now())
        .exclude(status=Experiment.Status.CANCELLED)
        .select_related("beamline")
        .order_by("-end")
    )


def survey_aggregates(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Per beamline and scale question: responses and mean score; per beamline: free-text
    answers. Experiments count by the day they ended (Tokyo)."""
    lower = dt.datetime.combine(start, dt.time(0), tzinfo=clock.TOKYO)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=clock.TOKYO)
    answers = SurveyAnswer.objects.filter(
        response__experiment__end__gte=lower, response__experiment__end__lt=upper
    )
    scores = (
        answers.filter(score__isnull=False)
        .values(
            "response__experiment__beamline__code",
            "question__pk",
            "question__text_ja",
            "question__text_en",
        )
        .annotate(responses=Count("pk"), mean=Avg("score"))
        .order_by("response__experiment__beamline__code", "question__order", "question__pk")
    )
    comments = (
        answers.exclude(text="")
        .values_list("response__experiment__beamline__code", "text")
        .order_by("response__experiment__beamline__code", "pk")
    )
    by_line: dict[str, dict[str, Any]] = {}
    for row in scores:
        code = row["response__experiment__beamline__code"]
        by_line.setdefault(code, {"beamline": code, "scores": [], "comments": []})
        by_line[code]["scores"].append(
            {
                "text_ja": row["question__text_ja"],
                "text_en": row["question__text_en"],
                "responses": row["responses"],
                "mean": round(float(row["mean"]), 2),
            }
        )
    for code, text in comments:
        by_line.setdefault(code, {"beamline": code, "scores": [], "comments": []})
        by_line[code]["comments"].append(text)
    return [by_line[code] for code in sorted(by_line)]

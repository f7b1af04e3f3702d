"""Reads of the scheduling app, already scoped and with their joins up front."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from akari.beamtime.models import Experiment
from akari.scheduling import grid as grids
from akari.scheduling.models import ScheduledBlock, SchedulePeriod, SolverRun
from akari.scheduling.solver import BLACKOUTS, CAP, CAPACITY, NO_WINDOW, WINDOWS


def latest_run(period: SchedulePeriod) -> SolverRun | None:
    return period.runs.first()


def draft_blocks(period: SchedulePeriod) -> list[ScheduledBlock]:
    return list(
        period.blocks.exclude(status=ScheduledBlock.Status.CANCELLED)
        .select_related("beamline", "proposal")
        .order_by("beamline__code", "start")
    )


def my_blocks(user: Any) -> QuerySet[ScheduledBlock]:
    """Published (and cancelled) blocks of the proposals on whose team ``user`` is."""
    return (
        ScheduledBlock.objects.filter(
            proposal__team__person=user,
            status__in=[ScheduledBlock.Status.PUBLISHED, ScheduledBlock.Status.CANCELLED],
        )
        .select_related("beamline", "proposal", "period")
        .distinct()
        .order_by("start")
    )


@dataclass
class Lane:
    code: str
    bars: list[dict[str, Any]]


def timeline(period: SchedulePeriod, blocks: list[ScheduledBlock]) -> list[Lane]:
    """Per beamline, the blocks as percentages of the period.

    The draft's timeline is plain server-rendered HTML/CSS (one lane per beamline, bars placed
    by these percentages) with htmx panels for a block's actions: no JavaScript widget and no
    static asset to ship, and the conflict check stays on the server."""
    grid = grids.grid_of(period)
    total = grid.horizon or 1
    lanes: dict[str, list[dict[str, Any]]] = {}
    for block in blocks:
        first = grid.index(block.start)
        lanes.setdefault(block.beamline.code, []).append(
            {
                "block": block,
                "left": round(100 * first / total, 3),
                "width": max(0.3, round(100 * block.shifts / total, 3)),
            }
        )
    return [Lane(code=code, bars=bars) for code, bars in sorted(lanes.items())]


def explain(item: dict[str, Any]) -> str:
    """An unplaced award's reason in the viewer's language."""
    values = {
        "shifts": item.get("shifts"),
        "beamline": item.get("beamline"),
        "until": item.get("until") or "",
    }
    reason = item.get("reason")
    if reason == CAPACITY:
        return (
            _(
                "Outranked: the %(shifts)s-shift windows on %(beamline)s went to higher-ranked "
                "proposals."
            )
            % values
        )
    if reason == CAP:
        return _("A policy cap on %(beamline)s leaves no room for %(shifts)s shifts.") % values
    if reason == BLACKOUTS:
        if values["until"]:
            return (
                _(
                    "No %(shifts)s-shift window on %(beamline)s outside your unavailable dates "
                    "before %(until)s."
                )
                % values
            )
        return (
            _("No %(shifts)s-shift window on %(beamline)s outside your unavailable dates.") % values
        )
    if reason == WINDOWS:
        return _("No %(shifts)s-shift window on %(beamline)s before %(until)s.") % values
    if reason == NO_WINDOW:
        return _("No %(shifts)s-shift window of user time on %(beamline)s.") % values
    return _("Not placed.")


def published_experiments(*, beamline: Any = None, facility: Any = None) -> QuerySet[Experiment]:
    qs = Experiment.objects.filter(status=Experiment.Status.SCHEDULED).select_related(
        "beamline", "beamline__facility"
    )
    if beamline is not None:
        qs = qs.filter(beamline=beamline)
    if facility is not None:
        qs = qs.filter(beamline__facility=facility)
    return qs.order_by("start")

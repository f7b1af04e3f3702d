"""Admin: periods (with their calendar inline) and award options are edited here; solver runs
and scheduled blocks are read-only (written by the services)."""

from __future__ import annotations

from django.contrib import admin

from akari.core.admin_base import ReadOnlyAdmin
from akari.scheduling.models import (
    AwardOption,
    BeamlineOutage,
    BeamlinePlan,
    RunSegment,
    ScheduledBlock,
    SchedulePeriod,
    SolverRun,
)


class SegmentInline(admin.TabularInline):
    model = RunSegment
    extra = 0


class OutageInline(admin.TabularInline):
    model = BeamlineOutage
    extra = 0


class PlanInline(admin.TabularInline):
    model = BeamlinePlan
    extra = 0


@admin.register(SchedulePeriod)
class SchedulePeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "facility", "start", "end", "status"]
    list_filter = ["facility", "status"]
    list_select_related = ["facility"]
    readonly_fields = ["status", "published_at"]
    filter_horizontal = ["calls"]
    inlines = [SegmentInline, OutageInline, PlanInline]


@admin.register(AwardOption)
class AwardOptionAdmin(admin.ModelAdmin):
    list_display = ["request", "splittable", "earliest", "latest"]
    list_select_related = ["request__proposal", "request__beamline"]
    raw_id_fields = ["request"]


@admin.register(SolverRun)
class SolverRunAdmin(ReadOnlyAdmin):
    list_display = ["period", "status", "objective", "bound", "greedy", "placed", "created_at"]
    list_select_related = ["period__facility"]


@admin.register(ScheduledBlock)
class ScheduledBlockAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "beamline", "start", "end", "shifts", "pinned", "status"]
    list_filter = ["status", "beamline"]
    list_select_related = ["proposal", "beamline"]

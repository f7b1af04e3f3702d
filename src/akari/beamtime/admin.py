"""Admin for the calendar: read-only (blocks, windows and experiments are written by services)."""

from __future__ import annotations

from django.contrib import admin

from akari.beamtime.models import Block, BookingWindow, Experiment
from akari.core.admin_base import ReadOnlyAdmin


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ["beamline", "start", "end", "kind", "label", "released_at"]
    list_filter = ["kind", "beamline"]
    list_select_related = ["beamline"]
    search_fields = ["label"]


@admin.register(BookingWindow)
class BookingWindowAdmin(ReadOnlyAdmin):
    list_display = ["beamline", "programme", "start", "end"]
    list_filter = ["programme", "beamline"]
    list_select_related = ["beamline"]


@admin.register(Experiment)
class ExperimentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "beamline", "start", "end", "programme", "route", "status"]
    list_filter = ["programme", "status", "beamline"]
    list_select_related = ["beamline"]
    search_fields = ["reference", "title"]

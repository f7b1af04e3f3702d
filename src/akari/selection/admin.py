"""Admin for the waitlist: read-only (ranks are set by the committee's decisions)."""

from __future__ import annotations

from django.contrib import admin

from akari.core.admin_base import ReadOnlyAdmin
from akari.selection.models import WaitlistEntry


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ["call", "beamline", "rank", "proposal", "created_at"]
    list_filter = ["call", "beamline"]
    list_select_related = ["call", "call__programme", "beamline", "proposal"]
    search_fields = ["proposal__number"]
    ordering = ["call", "beamline__code", "rank"]
    readonly_fields = ["call", "beamline", "proposal", "rank", "created_at", "updated_at"]

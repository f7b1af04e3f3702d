"""Admin for the waitlist: read-only (ranks are set by the committee's decisions)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from akari.selection.models import WaitlistEntry


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ["call", "beamline", "rank", "proposal", "created_at"]
    list_filter = ["call", "beamline"]
    list_select_related = ["call", "call__programme", "beamline", "proposal"]
    search_fields = ["proposal__number"]
    ordering = ["call", "beamline__code", "rank"]
    readonly_fields = ["call", "beamline", "proposal", "rank", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

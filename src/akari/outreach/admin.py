"""Admin: read-only views of the public site's records (news, events, registrations and
training records are written by the outreach services and staff pages)."""

from __future__ import annotations

from django.contrib import admin

from akari.core.admin_base import ReadOnlyAdmin
from akari.outreach.models import Event, NewsItem, Registration, TrainingRecord


@admin.register(NewsItem)
class NewsItemAdmin(ReadOnlyAdmin):
    list_display = ["title_ja", "title_en", "status", "publish_at", "facility"]
    list_filter = ["status", "facility"]
    search_fields = ["title_ja", "title_en"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title_ja", "title_en", "kind", "mode", "starts_at", "capacity", "status"]
    list_filter = ["status", "kind", "mode", "facility"]
    search_fields = ["title_ja", "title_en"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["event", "person", "status", "seat", "waitlist_position", "registered_at"]
    list_filter = ["status"]
    list_select_related = ["event", "person"]
    search_fields = ["person__email", "event__title_en"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ["person", "code", "completed_on", "valid_until", "event"]
    list_filter = ["code"]
    list_select_related = ["person", "event"]
    search_fields = ["person__email", "code"]

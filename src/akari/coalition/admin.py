"""Admin for the coalition: read-only records (every write goes through the services and the
coalition pages, so the ledger and the calendar stay consistent)."""

from __future__ import annotations

from django.contrib import admin

from akari.coalition.models import (
    AllocationRun,
    Booking,
    EntitlementAccount,
    LedgerEntry,
    MemberPerson,
    Membership,
)
from akari.core.admin_base import ReadOnlyAdmin


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "member_class", "units", "joining_fiscal_year", "status"]
    list_filter = ["member_class", "status"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name_en", "organisation__name_ja"]
    readonly_fields = [f.name for f in Membership._meta.fields]


@admin.register(MemberPerson)
class MemberPersonAdmin(ReadOnlyAdmin):
    list_display = ["membership", "person", "can_book", "is_admin"]
    list_select_related = ["membership__organisation", "person"]
    search_fields = ["person__email"]
    readonly_fields = ["membership", "person", "can_book", "is_admin", "created_at"]
    exclude = ["calendar_token"]


@admin.register(EntitlementAccount)
class EntitlementAccountAdmin(ReadOnlyAdmin):
    list_display = ["membership", "fiscal_year", "granted", "available", "held", "booked", "used"]
    list_filter = ["fiscal_year"]
    list_select_related = ["membership__organisation"]
    readonly_fields = [f.name for f in EntitlementAccount._meta.fields]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "account", "kind", "bucket", "hours", "booking"]
    list_filter = ["kind", "bucket"]
    list_select_related = ["account__membership__organisation", "booking"]
    readonly_fields = [f.name for f in LedgerEntry._meta.fields]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["reference", "membership", "beamline", "start", "hours", "use_type", "status"]
    list_filter = ["status", "use_type", "beamline"]
    list_select_related = ["membership__organisation", "beamline"]
    search_fields = ["reference"]
    readonly_fields = [f.name for f in Booking._meta.fields if f.name != "idempotency_key"]
    exclude = ["idempotency_key"]


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdmin):
    list_display = ["month", "seed", "algorithm_version", "ran_at", "ran_by"]
    readonly_fields = [f.name for f in AllocationRun._meta.fields]

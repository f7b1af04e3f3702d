"""Admin: read-mostly. Policy content comes from the packs (manage.py load_policy), so versions,
routes and fees are shown, never edited here; a change is a new pack version."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from akari.policies.models import AccessRoute, FeeRule, PolicyVersion, Programme


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PolicyVersionInline(ReadOnlyInline):
    model = PolicyVersion
    fields = ("version", "effective_from", "effective_until", "source_file", "loaded_at")
    readonly_fields = fields


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_ja", "name_en", "facility", "operator_en", "order"]
    list_filter = ["facility"]
    list_select_related = ["facility"]
    search_fields = ["code", "name_ja", "name_en"]
    readonly_fields = (
        "code",
        "facility",
        "name_ja",
        "name_en",
        "operator_ja",
        "operator_en",
        "order",
        "beamlines",
    )
    inlines = [PolicyVersionInline]


class AccessRouteInline(ReadOnlyInline):
    model = AccessRoute
    fields = (
        "code",
        "name_ja",
        "name_en",
        "result_ownership",
        "review_path",
        "application",
    )
    readonly_fields = fields


class FeeRuleInline(ReadOnlyInline):
    model = FeeRule
    fields = (
        "code",
        "label_en",
        "amount",
        "unit",
        "tax_included",
        "joining_fiscal_year",
        "route",
    )
    readonly_fields = fields


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["programme", "version", "effective_from", "effective_until", "loaded_at"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["programme__code", "version"]
    date_hierarchy = "effective_from"
    fields = (
        "programme",
        "version",
        "effective_from",
        "effective_until",
        "source_file",
        "sha256",
        "loaded_at",
        "loaded_by",
        "pretty_document",
    )
    readonly_fields = fields
    inlines = [AccessRouteInline, FeeRuleInline]

    @admin.display(description=_("policy document"))
    def pretty_document(self, obj: PolicyVersion) -> str:
        text = json.dumps(obj.document, ensure_ascii=False, indent=2)
        return format_html("<pre style='white-space: pre-wrap'>{}</pre>", text)


@admin.register(AccessRoute)
class AccessRouteAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "name_en",
        "policy_version",
        "result_ownership",
        "review_path",
        "application",
    ]
    list_filter = ["result_ownership", "review_path", "application", "policy_version__programme"]
    list_select_related = ["policy_version", "policy_version__programme"]
    search_fields = ["code", "name_ja", "name_en"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in AccessRoute._meta.fields]


@admin.register(FeeRule)
class FeeRuleAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "label_en",
        "policy_version",
        "amount",
        "unit",
        "tax_included",
        "joining_fiscal_year",
        "provisional",
    ]
    list_filter = ["unit", "tax_included", "provisional", "policy_version__programme"]
    list_select_related = ["policy_version", "policy_version__programme"]
    search_fields = ["code", "label_ja", "label_en"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in FeeRule._meta.fields]

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from akari.accounts.models import Affiliation, Organisation, User


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "family_name",
        "given_name",
        "family_name_ja",
        "career_stage",
        "is_staff",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "career_stage", "country"]
    search_fields = [
        "email",
        "family_name",
        "given_name",
        "family_name_ja",
        "given_name_ja",
        "orcid",
    ]
    inlines = [AffiliationInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Name"),
            {"fields": ("family_name_ja", "given_name_ja", "family_name", "given_name")},
        ),
        (
            _("Profile"),
            {"fields": ("preferred_language", "career_stage", "orcid", "country")},
        ),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ("groups", "user_permissions")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ja", "kind", "sector", "country", "prefecture", "member_of"]
    list_filter = ["kind", "sector", "country"]
    search_fields = ["name_en", "name_ja"]
    autocomplete_fields = ["member_of"]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "department", "is_primary", "start_date", "end_date"]
    list_select_related = ["person", "organisation"]
    search_fields = ["person__email", "organisation__name_en", "organisation__name_ja"]
    autocomplete_fields = ["person", "organisation"]

"""Admin: read-only views of what the services write. Consultations and company needs are not
listed here (they are confidential; their pages apply the access rules)."""

from __future__ import annotations

from django.contrib import admin

from akari.core.admin_base import ReadOnlyAdmin
from akari.services.models import ExpertiseProfile, MembershipEnquiry, ServiceOrder


@admin.register(ServiceOrder)
class ServiceOrderAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "organisation", "programme", "status", "quote_total"]
    list_filter = ["kind", "status", "programme"]
    list_select_related = ["organisation"]


@admin.register(MembershipEnquiry)
class MembershipEnquiryAdmin(ReadOnlyAdmin):
    list_display = ["organisation_name", "contact_name", "status", "created_at"]
    list_filter = ["status"]


@admin.register(ExpertiseProfile)
class ExpertiseProfileAdmin(ReadOnlyAdmin):
    list_display = ["headline", "person", "published"]
    list_select_related = ["person"]
    search_fields = ["headline", "keywords_ja", "keywords_en"]

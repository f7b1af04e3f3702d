"""Admin: research fields only (panels are organised by them). Calls and proposals are run
from the user-office pages, where every view of a proprietary proposal is audited."""

from __future__ import annotations

from django.contrib import admin

from akari.proposals.models import ResearchField


@admin.register(ResearchField)
class ResearchFieldAdmin(admin.ModelAdmin[ResearchField]):
    list_display = ["code", "name_ja", "name_en", "order"]
    list_editable = ["order"]
    search_fields = ["code", "name_ja", "name_en"]

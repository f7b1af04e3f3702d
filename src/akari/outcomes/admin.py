"""Admin: survey questions are configured here (system administrators; the user office once
roles grant ``outcomes.*_surveyquestion``); everything else is read-only (written by the
outcomes services)."""

from __future__ import annotations

from django.contrib import admin

from akari.core.admin_base import ReadOnlyAdmin
from akari.outcomes.models import (
    Dataset,
    ExperimentReport,
    ExtensionRequest,
    Obligation,
    Publication,
    SurveyQuestion,
)


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(admin.ModelAdmin[SurveyQuestion]):
    list_display = ["text_en", "text_ja", "facility", "kind", "order", "active"]
    list_filter = ["facility", "kind", "active"]
    list_editable = ["order", "active"]


@admin.register(Obligation)
class ObligationAdmin(ReadOnlyAdmin):
    list_display = ["experiment", "kind", "responsible", "due", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["experiment", "responsible"]


@admin.register(ExperimentReport)
class ExperimentReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "obligation", "status", "public_from"]
    list_filter = ["status"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ["obligation", "status", "old_due", "new_due"]
    list_filter = ["status"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "year", "doi", "public"]
    list_filter = ["kind", "public", "facility"]
    search_fields = ["title", "doi"]


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    list_display = ["pid", "experiment", "size_bytes", "embargo_until"]

"""Admin for the reviews app.

Editable here (set-up data of the user office): who does the technical review of each beamline
(:class:`BeamlineReviewer`), reviewer profiles (fields, keywords, load) and panels. Reviews,
assignments, conflicts and optimiser runs are read-only here: they change only through the
review pages (services), so every change keeps its status event and audit row.
"""

from __future__ import annotations

from django.contrib import admin

from akari.core.admin_base import ReadOnlyAdmin
from akari.reviews.models import (
    AssignmentRun,
    BeamlineReviewer,
    ConflictOfInterest,
    Panel,
    Review,
    ReviewAssignment,
    ReviewerProfile,
    TechnicalReview,
)


@admin.register(BeamlineReviewer)
class BeamlineReviewerAdmin(admin.ModelAdmin):
    list_display = ["beamline", "person", "created_at"]
    list_filter = ["beamline__facility"]
    search_fields = ["beamline__code", "person__email", "person__family_name"]
    autocomplete_fields = ["beamline", "person"]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "max_load"]
    search_fields = ["user__email", "user__family_name", "user__family_name_ja"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["research_fields"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["name_ja", "name_en", "call", "programme"]
    list_filter = ["programme"]
    search_fields = ["name_ja", "name_en"]
    filter_horizontal = ["research_fields", "members"]


@admin.register(TechnicalReview)
class TechnicalReviewAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "beamline", "reviewer", "status", "verdict", "submitted_at"]
    list_filter = ["status", "verdict"]
    search_fields = ["proposal__number"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "reviewer", "status", "conflict", "pinned", "expertise"]
    list_filter = ["status", "conflict"]
    search_fields = ["proposal__number", "reviewer__email"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "reviewer", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["proposal__number", "reviewer__email"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "score", "submitted_at"]
    search_fields = ["assignment__proposal__number"]


@admin.register(AssignmentRun)
class AssignmentRunAdmin(ReadOnlyAdmin):
    list_display = ["call", "created_at", "status", "objective", "bound", "wall_time"]

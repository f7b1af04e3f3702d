"""Representations of a reviewer's assignments (no logic: what to show is decided by
:mod:`akari.reviews.permissions` and the proposals app's display rule)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from akari.proposals.permissions import proposal_display_for
from akari.reviews.models import ReviewAssignment


class ReviewAssignmentSerializer(serializers.ModelSerializer[ReviewAssignment]):
    """One of my peer reviews. The title and content of a proprietary proposal are withheld."""

    call = serializers.CharField(source="proposal.call.code", read_only=True)
    proposal_number = serializers.CharField(source="proposal.number", read_only=True)
    title = serializers.SerializerMethodField()
    research_field = serializers.CharField(
        source="proposal.field.code", read_only=True, default=None
    )
    keywords = serializers.JSONField(source="proposal.keywords", read_only=True)
    due = serializers.DateField(source="proposal.call.peer_review_due", read_only=True)
    score = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()
    submitted_at = serializers.SerializerMethodField()

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "call",
            "proposal_number",
            "title",
            "research_field",
            "keywords",
            "status",
            "due",
            "score",
            "comment",
            "submitted_at",
        ]

    def _display(self, obj: ReviewAssignment) -> Any:
        return proposal_display_for(self.context["request"].user, obj.proposal)

    @extend_schema_field(serializers.CharField())
    def get_title(self, obj: ReviewAssignment) -> str:
        return str(self._display(obj).title)

    def _review(self, obj: ReviewAssignment) -> Any:
        return getattr(obj, "review", None)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_score(self, obj: ReviewAssignment) -> int | None:
        review = self._review(obj)
        return review.score if review is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_comment(self, obj: ReviewAssignment) -> str | None:
        review = self._review(obj)
        return review.comment if review is not None else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_submitted_at(self, obj: ReviewAssignment) -> Any:
        review = self._review(obj)
        return review.submitted_at if review is not None else None


class ReviewAssignmentDetailSerializer(ReviewAssignmentSerializer):
    abstract = serializers.SerializerMethodField()
    purpose = serializers.SerializerMethodField()

    class Meta(ReviewAssignmentSerializer.Meta):
        fields = [*ReviewAssignmentSerializer.Meta.fields, "abstract", "purpose"]

    @extend_schema_field(serializers.CharField())
    def get_abstract(self, obj: ReviewAssignment) -> str:
        return str(self._display(obj).abstract)

    @extend_schema_field(serializers.CharField())
    def get_purpose(self, obj: ReviewAssignment) -> str:
        return str(self._display(obj).purpose)


class ReviewSubmitSerializer(serializers.Serializer[Any]):
    score = serializers.IntegerField()
    comment = serializers.CharField()

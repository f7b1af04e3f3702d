"""Read-only representation of a committee table (no logic here)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from akari.selection.selectors import CommitteeRow


class CommitteeRowSerializer(serializers.Serializer[CommitteeRow]):
    rank = serializers.IntegerField()
    proposal_id = serializers.IntegerField(source="proposal.pk")
    number = serializers.CharField(source="proposal.number")
    title = serializers.SerializerMethodField()
    route = serializers.CharField(source="route.code")
    status = serializers.CharField(source="proposal.status")
    group = serializers.CharField(source="group.label")
    capped = serializers.BooleanField()
    units_requested = serializers.IntegerField(source="request.units_requested")
    units_awarded = serializers.IntegerField(source="awarded")
    technical_verdict = serializers.CharField(allow_null=True)
    n_reviews = serializers.IntegerField()
    mean_raw = serializers.FloatField(allow_null=True)
    mean_normalised = serializers.FloatField(allow_null=True)
    review_rank = serializers.IntegerField(allow_null=True)
    proposed_action = serializers.CharField(source="suggestion.action")
    proposed_units = serializers.IntegerField(source="suggestion.units")
    proposed_reason = serializers.CharField(source="suggestion.reason")
    running_total = serializers.IntegerField(source="suggestion.running_total")

    def get_title(self, row: CommitteeRow) -> str | None:
        """None for proprietary proposals (their content stays on the proposal's page)."""
        return None if row.confidential else row.proposal.title


class UsageSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    capped = serializers.IntegerField()


class CommitteeTableSerializer(serializers.Serializer[Any]):
    call = serializers.CharField(source="call.code")
    beamline = serializers.CharField(source="beamline.code")
    unit = serializers.CharField(source="unit_kind")
    units_available = serializers.IntegerField(source="limits.available")
    priority_and_proprietary_max_percent = serializers.IntegerField(
        source="capped_percent", allow_null=True
    )
    priority_and_proprietary_max_units = serializers.IntegerField(
        source="limits.capped_max", allow_null=True
    )
    single_group_max_percent = serializers.IntegerField(source="group_percent", allow_null=True)
    single_group_max_units = serializers.IntegerField(source="limits.group_max", allow_null=True)
    recorded = UsageSerializer()
    proposed = UsageSerializer()
    rows = CommitteeRowSerializer(many=True)

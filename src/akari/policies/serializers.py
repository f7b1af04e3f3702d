"""Read-only representations of programmes and their policy in force (no logic here)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from akari.facility.models import Beamline, Facility
from akari.policies import selectors
from akari.policies.models import AccessRoute, FeeRule, PolicyVersion, Programme


class AccessRouteSerializer(serializers.ModelSerializer[AccessRoute]):
    class Meta:
        model = AccessRoute
        fields = [
            "code",
            "name_ja",
            "name_en",
            "result_ownership",
            "review_path",
            "application",
            "lead_time_days",
            "supervisor_required",
            "eligibility_ja",
            "eligibility_en",
            "description_ja",
            "description_en",
            "fee_codes",
        ]

    fee_codes = serializers.ListField(child=serializers.CharField(), read_only=True)


class FeeRuleSerializer(serializers.ModelSerializer[FeeRule]):
    route: serializers.SlugRelatedField[AccessRoute] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = FeeRule
        fields = [
            "code",
            "label_ja",
            "label_en",
            "amount",
            "unit",
            "tax_included",
            "joining_fiscal_year",
            "provisional",
            "route",
            "notes_ja",
            "notes_en",
        ]


class PolicyVersionSummarySerializer(serializers.ModelSerializer[PolicyVersion]):
    class Meta:
        model = PolicyVersion
        fields = ["version", "effective_from", "effective_until", "sha256"]


class PolicyVersionDetailSerializer(serializers.ModelSerializer[PolicyVersion]):
    routes = AccessRouteSerializer(many=True, read_only=True)
    fees = FeeRuleSerializer(many=True, read_only=True)
    document = serializers.JSONField(read_only=True, help_text="The whole validated policy pack.")

    class Meta:
        model = PolicyVersion
        fields = [
            "version",
            "effective_from",
            "effective_until",
            "sha256",
            "routes",
            "fees",
            "document",
        ]


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    facility: serializers.SlugRelatedField[Facility] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    policy = serializers.SerializerMethodField(help_text="The version in force today, if any.")

    class Meta:
        model = Programme
        fields = ["code", "facility", "name_ja", "name_en", "operator_ja", "operator_en", "policy"]

    @extend_schema_field(PolicyVersionSummarySerializer(allow_null=True))
    def get_policy(self, obj: Programme) -> dict[str, Any] | None:
        version = selectors.current_version(obj)
        return None if version is None else PolicyVersionSummarySerializer(version).data


class ProgrammeDetailSerializer(ProgrammeSerializer):
    beamlines: serializers.SlugRelatedField[Beamline] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "beamlines"]

    @extend_schema_field(PolicyVersionDetailSerializer(allow_null=True))
    def get_policy(self, obj: Programme) -> dict[str, Any] | None:
        version = selectors.current_version(obj)
        return None if version is None else PolicyVersionDetailSerializer(version).data

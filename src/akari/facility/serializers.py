"""Read-only representations of the catalogue for the API (both languages, every field)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from akari.facility.models import Beamline, BeamlinePolicyArea, EndStation, Facility


class FacilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Facility
        fields = ["code", "name_ja", "name_en"]


class PolicyAreaLinkSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="policy_area.code")
    name_ja = serializers.CharField(source="policy_area.name_ja")
    name_en = serializers.CharField(source="policy_area.name_en")

    class Meta:
        model = BeamlinePolicyArea
        fields = ["code", "name_ja", "name_en", "applications_ja", "applications_en"]


class EndStationSerializer(serializers.ModelSerializer):
    class Meta:
        model = EndStation
        fields = ["code", "name_ja", "name_en", "description_ja", "description_en", "is_active"]


class ProgrammeRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_ja = serializers.CharField()
    name_en = serializers.CharField()


class BeamlineSerializer(serializers.ModelSerializer):
    facility = FacilitySerializer()
    policy_areas = PolicyAreaLinkSerializer(source="policy_area_links", many=True)
    programmes = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Beamline
        fields = [
            "facility",
            "code",
            "name_ja",
            "name_en",
            "technique_ja",
            "technique_en",
            "functions_ja",
            "functions_en",
            "access_scheme",
            "operator",
            "status",
            "policy_areas",
            "programmes",
            "url",
        ]

    @extend_schema_field(ProgrammeRefSerializer(many=True))
    def get_programmes(self, beamline: Beamline) -> list[dict[str, str]]:
        # Programme comes from the policies app through Programme.beamlines (related_name).
        programmes = getattr(beamline, "programmes", None)
        if programmes is None:
            return []
        return [
            {"code": p.code, "name_ja": p.name_ja, "name_en": p.name_en} for p in programmes.all()
        ]

    def get_url(self, beamline: Beamline) -> str:
        url = reverse(
            "v1:beamline-detail", kwargs={"facility": beamline.facility.code, "code": beamline.code}
        )
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class BeamlineDetailSerializer(BeamlineSerializer):
    end_stations = EndStationSerializer(many=True)

    class Meta(BeamlineSerializer.Meta):
        fields = [
            *BeamlineSerializer.Meta.fields,
            "description_ja",
            "description_en",
            "end_stations",
        ]

"""API representations of calls and proposals (no rules here: permissions.py decides who sees
what, and the serializer is told through its context)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from akari.proposals.models import Call, CallBeamline, Hazard, Proposal


class CallBeamlineSerializer(serializers.ModelSerializer[CallBeamline]):
    beamline = serializers.CharField(source="beamline.code", read_only=True)

    class Meta:
        model = CallBeamline
        fields = ["beamline", "units_available"]


class CallSerializer(serializers.ModelSerializer[Call]):
    programme = serializers.CharField(source="programme.code", read_only=True)
    beamlines = CallBeamlineSerializer(source="offered_beamlines", many=True, read_only=True)
    routes = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "programme",
            "code",
            "kind",
            "title_ja",
            "title_en",
            "status",
            "period_start",
            "period_end",
            "opens_at",
            "closes_at",
            "notification_date",
            "beamlines",
            "routes",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_routes(self, call: Call) -> list[str]:
        return [route.code for route in call.routes.all()]


class TeamMemberOutSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="person.display_name")
    role = serializers.CharField()
    is_experimenter = serializers.BooleanField()
    is_supervisor = serializers.BooleanField()


class BeamlineRequestOutSerializer(serializers.Serializer[Any]):
    beamline = serializers.CharField(source="beamline.code")
    end_station = serializers.CharField(source="end_station.code", allow_null=True, default=None)
    units_requested = serializers.IntegerField()
    units_awarded = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_units_awarded(self, request: Any) -> int | None:
        # Awarded beamtime is part of the decision: shown once the proposal is accepted.
        if request.proposal.status == Proposal.Status.ACCEPTED:
            return request.units_awarded
        return None


class ProposalSerializer(serializers.ModelSerializer[Proposal]):
    """A proposal as its team sees it: the coarse public status, never internal states.
    Content is replaced by what :func:`permissions.proposal_display_for` allows (context
    ``display``)."""

    call: serializers.PrimaryKeyRelatedField[Call] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    call_code = serializers.CharField(source="call.code", read_only=True)
    route = serializers.CharField(source="route.code", read_only=True)
    field = serializers.CharField(
        source="field.code", read_only=True, allow_null=True, default=None
    )
    status = serializers.CharField(source="public_status", read_only=True)
    status_label = serializers.CharField(source="public_status_label", read_only=True)
    title = serializers.SerializerMethodField()
    abstract = serializers.SerializerMethodField()
    purpose = serializers.SerializerMethodField()
    team = TeamMemberOutSerializer(many=True, read_only=True)
    beamline_requests = BeamlineRequestOutSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "number",
            "call",
            "call_code",
            "route",
            "status",
            "status_label",
            "title",
            "abstract",
            "purpose",
            "field",
            "keywords",
            "samples",
            "hazards",
            "hazards_details",
            "previous_proposals",
            "earliest_start",
            "submitted_at",
            "team",
            "beamline_requests",
        ]
        read_only_fields = fields

    def _display(self, proposal: Proposal) -> Any:
        displays = self.context.get("displays") or {}
        return displays.get(proposal.pk)

    @extend_schema_field(serializers.CharField())
    def get_title(self, proposal: Proposal) -> str:
        display = self._display(proposal)
        return display.title if display is not None else proposal.title

    @extend_schema_field(serializers.CharField())
    def get_abstract(self, proposal: Proposal) -> str:
        display = self._display(proposal)
        return display.abstract if display is not None else proposal.abstract

    @extend_schema_field(serializers.CharField())
    def get_purpose(self, proposal: Proposal) -> str:
        display = self._display(proposal)
        return display.purpose if display is not None else proposal.purpose

    def to_representation(self, instance: Proposal) -> dict[str, Any]:
        data = super().to_representation(instance)
        display = self._display(instance)
        if display is not None and display.hidden:
            for name in ("samples", "hazards_details", "previous_proposals"):
                data[name] = ""
            data["keywords"] = []
            data["team"] = []
        return data


class ProposalCreateSerializer(serializers.Serializer[Any]):
    call = serializers.IntegerField()
    route = serializers.CharField(help_text="Code of an access route the call accepts.")


class ProposalUpdateSerializer(serializers.Serializer[Any]):
    """The draft fields (any subset). ``route`` and ``field`` are codes."""

    route = serializers.CharField(required=False)
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    abstract = serializers.CharField(required=False, allow_blank=True)
    purpose = serializers.CharField(required=False, allow_blank=True)
    field = serializers.CharField(required=False, allow_null=True)
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=20
    )
    samples = serializers.CharField(required=False, allow_blank=True)
    hazards = serializers.ListField(
        child=serializers.ChoiceField(choices=Hazard.choices), required=False
    )
    hazards_details = serializers.CharField(required=False, allow_blank=True)
    previous_proposals = serializers.CharField(required=False, allow_blank=True)
    earliest_start = serializers.DateField(required=False, allow_null=True)


class TeamMemberInSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    role = serializers.ChoiceField(
        choices=["co_investigator", "student"], default="co_investigator"
    )
    is_experimenter = serializers.BooleanField(default=True)
    is_supervisor = serializers.BooleanField(default=False)


class BeamlineRequestInSerializer(serializers.Serializer[Any]):
    beamline = serializers.CharField(help_text="Beamline code, e.g. BL01B1.")
    end_station = serializers.CharField(required=False, allow_null=True, default=None)
    units = serializers.IntegerField(min_value=1)


class ProblemsSerializer(serializers.Serializer[Any]):
    problems = serializers.ListField(child=serializers.CharField())

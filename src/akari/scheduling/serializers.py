from __future__ import annotations

from rest_framework import serializers

from akari.scheduling.models import ScheduledBlock, SchedulePeriod, SolverRun


class SolverRunSerializer(serializers.ModelSerializer[SolverRun]):
    class Meta:
        model = SolverRun
        fields = [
            "id",
            "status",
            "progress",
            "solver_status",
            "objective",
            "bound",
            "bound_lp",
            "bound_cpsat",
            "greedy",
            "placed",
            "total",
            "seconds",
            "unplaced",
        ]


class ScheduledBlockSerializer(serializers.ModelSerializer[ScheduledBlock]):
    proposal = serializers.CharField(source="proposal.number")
    beamline = serializers.CharField(source="beamline.code")

    class Meta:
        model = ScheduledBlock
        fields = ["id", "proposal", "beamline", "start", "end", "shifts", "pinned", "status"]


class PeriodSerializer(serializers.ModelSerializer[SchedulePeriod]):
    facility = serializers.CharField(source="facility.code")

    class Meta:
        model = SchedulePeriod
        fields = ["id", "facility", "code", "start", "end", "status"]

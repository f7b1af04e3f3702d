"""API shapes of the coalition. Members see free/busy intervals and their own bookings only."""

from __future__ import annotations

from rest_framework import serializers

from akari.coalition.models import Booking, EntitlementAccount, UseType


class BookingSerializer(serializers.ModelSerializer[Booking]):
    beamline = serializers.CharField(source="beamline.code")
    end_station = serializers.CharField(source="end_station.code", default=None)
    member = serializers.CharField(source="membership.organisation.name_en")

    class Meta:
        model = Booking
        fields = [
            "reference",
            "member",
            "beamline",
            "end_station",
            "start",
            "end",
            "hours",
            "use_type",
            "round",
            "status",
            "refunded_hours",
        ]


class BookingCreateSerializer(serializers.Serializer[dict[str, object]]):
    beamline = serializers.CharField(max_length=20)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    use_type = serializers.ChoiceField(choices=UseType.choices, default=UseType.BASIC)
    membership = serializers.IntegerField(required=False)


class AccountSerializer(serializers.ModelSerializer[EntitlementAccount]):
    member = serializers.CharField(source="membership.organisation.name_en")

    class Meta:
        model = EntitlementAccount
        fields = [
            "member",
            "fiscal_year",
            "granted",
            "available",
            "held",
            "booked",
            "used",
            "forfeited",
        ]


class IntervalSerializer(serializers.Serializer[tuple[object, object]]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class FreeBusySerializer(serializers.Serializer[dict[str, object]]):
    beamline = serializers.CharField()
    free = IntervalSerializer(many=True)
    busy = IntervalSerializer(many=True)


class RefusalSerializer(serializers.Serializer[dict[str, object]]):
    code = serializers.CharField()
    detail = serializers.CharField()

"""Serializers of the public site's read-only API (both languages in every payload)."""

from __future__ import annotations

from rest_framework import serializers

from akari.facility.models import Facility
from akari.outreach.models import Audience, Event, NewsItem


class NewsItemSerializer(serializers.ModelSerializer):
    facility: serializers.SlugRelatedField[Facility] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    audiences: serializers.SlugRelatedField[Audience] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = NewsItem
        fields = [
            "id",
            "facility",
            "title_ja",
            "title_en",
            "body_ja",
            "body_en",
            "audiences",
            "publish_at",
        ]


class EventSerializer(serializers.ModelSerializer):
    facility: serializers.SlugRelatedField[Facility] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    audiences: serializers.SlugRelatedField[Audience] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    seats_taken = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "facility",
            "kind",
            "mode",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "starts_at",
            "ends_at",
            "venue_ja",
            "venue_en",
            "capacity",
            "seats_taken",
            "waiting",
            "registration_opens_at",
            "registration_closes_at",
            "training_code",
            "audiences",
        ]


class FinderQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    policy_area = serializers.CharField(required=False, allow_blank=True, default="")
    facility = serializers.CharField(required=False, allow_blank=True, default="")


class FinderReasonSerializer(serializers.Serializer):
    term = serializers.CharField()
    where = serializers.CharField()
    text = serializers.CharField()


class FinderMatchSerializer(serializers.Serializer):
    facility = serializers.CharField(source="beamline.facility.code")
    code = serializers.CharField(source="beamline.code")
    score = serializers.FloatField()
    reasons = FinderReasonSerializer(many=True)

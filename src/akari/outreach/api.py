"""REST endpoints under /api/v1/ (included from akari.urls), public and read-only: published
news, upcoming events with their seat counts, and the beamline finder."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from akari.outreach import finder, selectors
from akari.outreach.serializers import (
    EventSerializer,
    FinderMatchSerializer,
    FinderQuerySerializer,
    NewsItemSerializer,
)


class NewsList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses=NewsItemSerializer(many=True),
        operation_id="outreach_news_list",
        tags=["outreach"],
    )
    def get(self, request: Request) -> Response:
        items = selectors.news_page(request.user)[:100]
        return Response(NewsItemSerializer(items, many=True).data)


class EventList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses=EventSerializer(many=True), operation_id="outreach_events_list", tags=["outreach"]
    )
    def get(self, request: Request) -> Response:
        events = selectors.upcoming_events(limit=200, with_audiences=True)
        return Response(EventSerializer(events, many=True).data)


class Finder(APIView):
    """Beamlines for a question in Japanese or English, best first, with the reasons."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[FinderQuerySerializer],
        responses=FinderMatchSerializer(many=True),
        operation_id="outreach_finder",
        tags=["outreach"],
    )
    def get(self, request: Request) -> Response:
        query = FinderQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        matches = finder.find(data["q"], policy_area=data["policy_area"], facility=data["facility"])
        return Response(FinderMatchSerializer(matches, many=True).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("news/", NewsList.as_view(), name="outreach-news-list"),
    path("events/", EventList.as_view(), name="outreach-event-list"),
    path("finder/", Finder.as_view(), name="outreach-finder"),
]

"""Read-only API: programmes and the policy in force (routes and fees)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny

from akari.policies import selectors
from akari.policies.models import Programme
from akari.policies.serializers import ProgrammeDetailSerializer, ProgrammeSerializer


@extend_schema(tags=["programmes"], summary="Programmes with the policy version in force today")
class ProgrammeList(generics.ListAPIView[Programme]):
    serializer_class = ProgrammeSerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programmes_with_policy()


@extend_schema(tags=["programmes"], summary="A programme with the routes and fees in force today")
class ProgrammeDetail(generics.RetrieveAPIView[Programme]):
    serializer_class = ProgrammeDetailSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programmes_with_policy(details=True).prefetch_related("beamlines")


urlpatterns = [
    path("programmes/", ProgrammeList.as_view(), name="programme-list"),
    path("programmes/<slug:code>/", ProgrammeDetail.as_view(), name="programme-detail"),
]

"""Read-only API of the beamline catalogue: ``/api/v1/beamlines/`` (public, GET only)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from akari.facility import selectors
from akari.facility.forms import CatalogueFilterForm
from akari.facility.models import Beamline
from akari.facility.serializers import BeamlineDetailSerializer, BeamlineSerializer

FILTER_PARAMETERS = [
    OpenApiParameter("facility", str, description="Facility code, e.g. nanoterasu, spring8."),
    OpenApiParameter(
        "technique",
        str,
        description="Free text searched in code, name, technique and functions (ja and en).",
    ),
    OpenApiParameter("policy_area", str, description="Policy area code, e.g. materials."),
    OpenApiParameter("programme", str, description="Programme code the beamline is offered in."),
    OpenApiParameter(
        "access_scheme",
        str,
        enum=Beamline.AccessScheme.values,
        description="Whom the beamline is operated for.",
    ),
]


class BeamlineList(generics.ListAPIView):
    """Beamlines of every facility, filtered like the catalogue page."""

    serializer_class = BeamlineSerializer
    permission_classes = [AllowAny]
    queryset = Beamline.objects.none()  # for the schema; get_queryset does the reading

    def get_queryset(self) -> QuerySet[Beamline]:
        form = CatalogueFilterForm(self.request.query_params, options=selectors.catalogue_options())
        if not form.is_valid():
            raise serializers.ValidationError(form.errors.get_json_data())
        return selectors.beamline_list(filters=form.filters())

    @extend_schema(parameters=FILTER_PARAMETERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@extend_schema(
    parameters=[
        OpenApiParameter("facility", OpenApiTypes.STR, OpenApiParameter.PATH),
        OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH),
    ]
)
class BeamlineDetail(generics.RetrieveAPIView):
    """One beamline with its description, policy areas, end stations and programmes."""

    serializer_class = BeamlineDetailSerializer
    permission_classes = [AllowAny]
    queryset = Beamline.objects.none()

    def get_object(self) -> Beamline:
        try:
            return selectors.beamline_detail(
                facility_code=self.kwargs["facility"], code=self.kwargs["code"]
            )
        except Beamline.DoesNotExist:
            raise Http404 from None


urlpatterns = [
    path("beamlines/", BeamlineList.as_view(), name="beamline-list"),
    path("beamlines/<slug:facility>/<str:code>/", BeamlineDetail.as_view(), name="beamline-detail"),
]

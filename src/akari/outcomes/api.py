"""REST endpoints under /api/v1/ (included from akari.urls): the public publications (never a
proprietary one) and an experiment's SciCat export (its lead, participants and staff; others
get 404)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from akari.outcomes import permissions, selectors
from akari.outcomes.scicat import experiment_scicat


def _publication(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "type": p.kind,
        "title": p.title,
        "doi": p.doi,
        "year": p.year,
        "container": p.container,
        "authors": [{"name": a.name, "orcid": a.orcid} for a in p.authors.all()],
        "beamlines": [b.code for b in p.beamlines.all()],
        "programme": p.programme,
    }


class PublicationList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="outcomes_publications_list")
    def get(self, request: Request) -> Response:
        rows = selectors.public_publications({})[:1000]
        return Response([_publication(p) for p in rows])


class ExperimentSciCat(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="outcomes_experiment_scicat")
    def get(self, request: Request, pk: int) -> Response:
        experiment = permissions.get_experiment_for(request.user, pk)
        return Response(experiment_scicat(experiment))


urlpatterns: list[URLPattern | URLResolver] = [
    path("outcomes/publications/", PublicationList.as_view(), name="outcomes-publications"),
    path(
        "outcomes/experiments/<int:pk>/scicat/",
        ExperimentSciCat.as_view(),
        name="outcomes-experiment-scicat",
    ),
]

"""Read-only API of the selection committee (staff): the committee table of a beamline."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from akari.selection import permissions, selectors
from akari.selection.serializers import CommitteeTableSerializer


class CommitteeDetail(APIView):
    """The committee table of one beamline of a call: ranking, proposed allocation, caps.

    For the user office, system administrators and management; 404 for anyone else."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=CommitteeTableSerializer,
        operation_id="selection_committee_retrieve",
        tags=["selection"],
    )
    def get(self, request: Request, call: int, beamline: str) -> Response:
        found, offered = permissions.get_offered_for(request.user, call, beamline)
        table = selectors.committee_table(found, offered)
        return Response(CommitteeTableSerializer(table).data)


urlpatterns = [
    path(
        "selection/calls/<int:call>/beamlines/<str:beamline>/committee/",
        CommitteeDetail.as_view(),
        name="committee-detail",
    ),
]

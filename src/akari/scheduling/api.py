"""REST endpoints under /api/v1/ (included from akari.urls): read-only periods and their
schedule with the latest solver figures, for staff who may see the periods (404 otherwise)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from akari.scheduling import permissions, selectors
from akari.scheduling.serializers import (
    PeriodSerializer,
    ScheduledBlockSerializer,
    SolverRunSerializer,
)


class PeriodList(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=PeriodSerializer(many=True),
        operation_id="scheduling_periods_list",
        tags=["scheduling"],
    )
    def get(self, request: Request) -> Response:
        return Response(PeriodSerializer(permissions.visible_to(request.user), many=True).data)


class PeriodSchedule(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "PeriodSchedule",
            {
                "period": PeriodSerializer(),
                "run": SolverRunSerializer(allow_null=True),
                "blocks": ScheduledBlockSerializer(many=True),
            },
        ),
        operation_id="scheduling_period_schedule",
        tags=["scheduling"],
    )
    def get(self, request: Request, pk: int) -> Response:
        period = permissions.get_period_for(request.user, pk)
        run = selectors.latest_run(period)
        return Response(
            {
                "period": PeriodSerializer(period).data,
                "run": SolverRunSerializer(run).data if run else None,
                "blocks": ScheduledBlockSerializer(selectors.draft_blocks(period), many=True).data,
            }
        )


urlpatterns: list[URLPattern | URLResolver] = [
    path("scheduling/periods/", PeriodList.as_view(), name="scheduling-periods"),
    path("scheduling/periods/<int:pk>/", PeriodSchedule.as_view(), name="scheduling-period"),
]

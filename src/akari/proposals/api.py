"""API: calls (public unless in preparation) and the requester's own proposals (create, change
and submit drafts), with the same permission rules as the pages (permissions.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from akari.accounts.models import User
from akari.facility.models import Beamline, EndStation
from akari.proposals import permissions, selectors, services
from akari.proposals.models import Call, Proposal, ResearchField
from akari.proposals.serializers import (
    BeamlineRequestInSerializer,
    CallSerializer,
    ProblemsSerializer,
    ProposalCreateSerializer,
    ProposalSerializer,
    ProposalUpdateSerializer,
    TeamMemberInSerializer,
)


def _run(action: Callable[[], Any]) -> Any:
    """Run a service; its Django ValidationError becomes a 400 with the same messages."""
    try:
        return action()
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise serializers.ValidationError(error.message_dict) from error
        raise serializers.ValidationError({"non_field_errors": error.messages}) from error


def _user(request: Request) -> User:
    return cast(User, request.user)


def _calls(request: Request) -> QuerySet[Call]:
    calls = permissions.visible_calls(request.user)
    return (
        calls.select_related("programme")
        .prefetch_related("offered_beamlines__beamline", "routes")
        .order_by("-period_start", "code")
    )


@extend_schema(
    tags=["proposals"],
    summary="Calls for proposals (open, closed and decided; staff also see those in preparation)",
    parameters=[OpenApiParameter("status", str, enum=[s.value for s in Call.Status])],
)
class CallList(generics.ListAPIView[Call]):
    serializer_class = CallSerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[Call]:
        calls = _calls(self.request)
        wanted = self.request.query_params.get("status")
        return calls.filter(status=wanted) if wanted else calls


@extend_schema(tags=["proposals"], summary="A call: dates, beamlines offered, routes accepted")
class CallDetail(generics.RetrieveAPIView[Call]):
    serializer_class = CallSerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[Call]:
        return _calls(self.request)


class ProposalList(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["proposals"],
        summary="My proposals (any team role), with their public status",
        responses=ProposalSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        proposals = selectors.my_proposals(request.user).prefetch_related("team__person")
        return Response(ProposalSerializer(proposals, many=True).data)

    @extend_schema(
        tags=["proposals"],
        summary="Start a draft in an open call (I become its principal investigator)",
        request=ProposalCreateSerializer,
        responses={201: ProposalSerializer},
    )
    def post(self, request: Request) -> Response:
        data = ProposalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call = permissions.get_call_for(request.user, data.validated_data["call"])
        route = call.routes.filter(code=data.validated_data["route"]).first()
        if route is None:
            raise serializers.ValidationError(
                {"route": [_("This call does not accept that route.")]}
            )
        proposal = _run(
            lambda: services.proposal_create(call=call, route=route, actor=_user(request))
        )
        return Response(_out(request, proposal.pk), status=status.HTTP_201_CREATED)


def _out(request: Request, pk: int) -> dict[str, Any]:
    proposal = permissions.get_proposal_for(request.user, pk)
    display = permissions.proposal_display_for(request.user, proposal)
    return dict(ProposalSerializer(proposal, context={"displays": {proposal.pk: display}}).data)


def _draft(request: Request, pk: int) -> Proposal:
    """A proposal of the requester's team (404 for anyone else)."""
    proposal = permissions.get_proposal_for(request.user, pk)
    if not permissions.is_team_member(request.user, proposal):
        raise Http404
    return proposal


class ProposalDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["proposals"], summary="A proposal I may see", responses=ProposalSerializer)
    def get(self, request: Request, pk: int) -> Response:
        proposal = permissions.get_proposal_for(request.user, pk)
        services.proposal_viewed(proposal=proposal, actor=request.user, what="api")
        return Response(_out(request, pk))

    @extend_schema(
        tags=["proposals"],
        summary="Change my draft (any subset of its fields)",
        request=ProposalUpdateSerializer,
        responses=ProposalSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        proposal = _draft(request, pk)
        data = ProposalUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "route" in values:
            route = proposal.call.routes.filter(code=values["route"]).first()
            if route is None:
                raise serializers.ValidationError(
                    {"route": [_("This call does not accept that route.")]}
                )
            values["route"] = route
        if "field" in values and values["field"] is not None:
            field = ResearchField.objects.filter(code=values["field"]).first()
            if field is None:
                raise serializers.ValidationError({"field": [_("No such research field.")]})
            values["field"] = field
        _run(lambda: services.proposal_update(proposal=proposal, actor=_user(request), data=values))
        return Response(_out(request, pk))


class ProposalSubmit(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["proposals"],
        summary="Submit my draft (the principal investigator); 400 lists every problem",
        request=None,
        responses={200: ProposalSerializer, 400: ProblemsSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        proposal = _draft(request, pk)
        if not permissions.can_submit(request.user, proposal):
            return Response(
                {"detail": _("Only the principal investigator submits a draft.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        try:
            services.proposal_submit(proposal=proposal, actor=_user(request))
        except services.SubmissionRefused as refused:
            return Response({"problems": refused.messages}, status=status.HTTP_400_BAD_REQUEST)
        return Response(_out(request, pk))


class ProposalTeam(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["proposals"],
        summary="Add a person (by the e-mail of their account) to my draft's team",
        request=TeamMemberInSerializer,
        responses={201: ProposalSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        proposal = _draft(request, pk)
        data = TeamMemberInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _run(
            lambda: services.team_member_add(
                proposal=proposal, actor=_user(request), **data.validated_data
            )
        )
        return Response(_out(request, pk), status=status.HTTP_201_CREATED)


class ProposalRequests(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["proposals"],
        summary="Request beamtime on a beamline offered in the call (replaces an earlier request)",
        request=BeamlineRequestInSerializer,
        responses={201: ProposalSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        proposal = _draft(request, pk)
        data = BeamlineRequestInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offered = [cb.beamline_id for cb in proposal.call.offered_beamlines.all()]
        beamline = Beamline.objects.filter(
            pk__in=offered, code=data.validated_data["beamline"]
        ).first()
        if beamline is None:
            raise serializers.ValidationError(
                {"beamline": [_("This beamline is not offered in this call.")]}
            )
        station = None
        if data.validated_data["end_station"]:
            station = EndStation.objects.filter(
                beamline=beamline, code=data.validated_data["end_station"]
            ).first()
            if station is None:
                raise serializers.ValidationError(
                    {"end_station": [_("No such end station on this beamline.")]}
                )
        _run(
            lambda: services.beamline_request_save(
                proposal=proposal,
                actor=_user(request),
                beamline=beamline,
                end_station=station,
                units=data.validated_data["units"],
            )
        )
        return Response(_out(request, pk), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("calls/", CallList.as_view(), name="call-list"),
    path("calls/<int:pk>/", CallDetail.as_view(), name="call-detail"),
    path("proposals/", ProposalList.as_view(), name="proposal-list"),
    path("proposals/<int:pk>/", ProposalDetail.as_view(), name="proposal-detail"),
    path("proposals/<int:pk>/submit/", ProposalSubmit.as_view(), name="proposal-submit"),
    path("proposals/<int:pk>/team/", ProposalTeam.as_view(), name="proposal-team"),
    path("proposals/<int:pk>/requests/", ProposalRequests.as_view(), name="proposal-requests"),
]

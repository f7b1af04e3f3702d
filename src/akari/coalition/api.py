"""REST endpoints under /api/v1/coalition/ (included from akari.urls): the same services and the
same refusals as the pages. A refusal answers ``{"code": <rule>, "detail": <translated>}`` with
409 when the slot is taken and 422 for every other rule. ``POST bookings/`` accepts an
``Idempotency-Key`` header: a retry returns the first booking (200) instead of a second one."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from akari.coalition import bench_baseline, permissions, policy, selectors, services
from akari.coalition.authentication import MemberTokenAuthentication
from akari.coalition.errors import BookingRefused
from akari.coalition.models import EntitlementAccount
from akari.coalition.serializers import (
    AccountSerializer,
    BookingCreateSerializer,
    BookingSerializer,
    FreeBusySerializer,
    RefusalSerializer,
)


def refusal(refused: BookingRefused) -> Response:
    return Response({"code": refused.rule, "detail": refused.text}, status=refused.http_status)


class BalanceView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AccountSerializer(many=True), tags=["coalition"])
    def get(self, request: Request) -> Response:
        ids = [m.pk for m in permissions.memberships_of(request.user)]
        accounts = (
            EntitlementAccount.objects.filter(membership_id__in=ids)
            .select_related("membership__organisation")
            .order_by("membership_id", "-fiscal_year")
        )
        return Response(AccountSerializer(accounts, many=True).data)


class FreeBusyView(APIView):
    """Free and busy intervals of a coalition beamline (never who holds busy time)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("beamline", str, required=True),
            OpenApiParameter("start", dt.datetime, required=True),
            OpenApiParameter("end", dt.datetime, required=True),
        ],
        responses=FreeBusySerializer,
        tags=["coalition"],
    )
    def get(self, request: Request) -> Response:
        beamline = policy.beamline_by_code(request.query_params.get("beamline", ""))
        try:
            start = dt.datetime.fromisoformat(request.query_params["start"])
            end = dt.datetime.fromisoformat(request.query_params["end"])
        except (KeyError, ValueError):
            return Response({"code": "interval", "detail": "start and end (ISO 8601)"}, status=400)
        if (
            start.tzinfo is None
            or end.tzinfo is None
            or end <= start
            or end - start > dt.timedelta(days=62)
        ):
            return Response(
                {"code": "interval", "detail": "aware start < end, at most 62 days"}, status=400
            )
        data = selectors.free_busy(beamline, start, end)
        return Response(
            {
                "beamline": beamline.code,
                "free": [{"start": a, "end": b} for a, b in data["free"]],
                "busy": [{"start": a, "end": b} for a, b in data["busy"]],
            }
        )


class BookingsView(APIView):
    # The settings' classes (token first, then session), with the token read together with the
    # caller's member rows in one query (the booking hot path).
    authentication_classes = [MemberTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=BookingSerializer(many=True), tags=["coalition"])
    def get(self, request: Request) -> Response:
        ids = [m.pk for m in permissions.memberships_of(request.user)]
        rows = selectors.member_bookings(ids)[:500]
        return Response(BookingSerializer(rows, many=True).data)

    @extend_schema(
        request=BookingCreateSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
        responses={
            200: BookingSerializer,
            201: BookingSerializer,
            409: RefusalSerializer,
            422: RefusalSerializer,
        },
        tags=["coalition"],
    )
    def post(self, request: Request) -> Response:
        serializer = BookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            membership = permissions.get_membership_for(
                request.user, data.get("membership"), booking=True
            )
        except Http404:
            return Response(
                {"code": "no_booking_right", "detail": "You have no booking right for a member."},
                status=403,
            )
        try:
            booking = services.booking_create(
                membership=membership,
                person=request.user,
                beamline=policy.beamline_by_code(data["beamline"]),
                start=data["start"],
                end=data["end"],
                use_type=data["use_type"],
                idempotency_key=request.headers.get("Idempotency-Key", ""),
                trusted=True,  # the membership came from the user's own booking rights
            )
        except BookingRefused as refused:
            return refusal(refused)
        return Response(
            {
                "reference": booking.reference,
                "beamline": data["beamline"],
                "start": booking.start,
                "end": booking.end,
                "hours": booking.hours,
                "use_type": booking.use_type,
                "round": booking.round,
                "status": booking.status,
            },
            status=200 if booking.replayed else 201,
        )


class CancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses={200: BookingSerializer, 422: RefusalSerializer}, tags=["coalition"]
    )
    def post(self, request: Request, reference: str) -> Response:
        booking = (
            permissions.bookings_visible_to(request.user)
            .select_related("beamline", "end_station", "membership__organisation")
            .filter(reference=reference)
            .first()
        )
        if booking is None or not permissions.can_cancel(request.user, booking):
            raise Http404("No such booking.")
        try:
            booking = services.booking_cancel(booking=booking, actor=request.user)
        except BookingRefused as refused:
            return refusal(refused)
        return Response(BookingSerializer(booking).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("coalition/balance/", BalanceView.as_view(), name="coalition-balance"),
    path("coalition/freebusy/", FreeBusyView.as_view(), name="coalition-freebusy"),
    path("coalition/bookings/", BookingsView.as_view(), name="coalition-bookings"),
    path(
        "coalition/bookings/<str:reference>/cancel/",
        CancelView.as_view(),
        name="coalition-cancel",
    ),
    path(
        "coalition/bench/naive-bookings/",
        bench_baseline.NaiveBookingView.as_view(),
        name="coalition-bench-naive",
    ),
]

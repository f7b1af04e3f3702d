"""REST endpoints under /api/v1/ (included from akari.urls): service orders, scoped to the
caller (the requester's own; service staff all; another person's order is a 404)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from akari.services import permissions
from akari.services.models import ServiceOrder


class OrderSerializer(serializers.ModelSerializer[ServiceOrder]):
    reference = serializers.CharField(read_only=True)
    facility = serializers.CharField(source="facility.code", read_only=True)
    beamline = serializers.CharField(source="beamline.code", read_only=True, default=None)

    class Meta:
        model = ServiceOrder
        fields = [
            "id",
            "reference",
            "facility",
            "kind",
            "status",
            "programme",
            "route",
            "technique",
            "beamline",
            "measurements",
            "deadline",
            "quote_total",
            "quote_tax_included",
            "tracking_number",
            "data_url",
            "data_sha256",
            "delivered_at",
            "created_at",
        ]


class OrderList(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=OrderSerializer(many=True), operation_id="services_orders_list", tags=["services"]
    )
    def get(self, request: Request) -> Response:
        qs = permissions.orders_visible_to(request.user).select_related("facility", "beamline")
        return Response(OrderSerializer(qs.order_by("-pk")[:500], many=True).data)


class OrderDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=OrderSerializer, operation_id="services_order_retrieve", tags=["services"]
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(OrderSerializer(permissions.get_order_for(request.user, pk)).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("services/orders/", OrderList.as_view(), name="services-order-list"),
    path("services/orders/<int:pk>/", OrderDetail.as_view(), name="services-order-detail"),
]

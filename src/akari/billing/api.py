"""REST endpoints under /api/v1/ (included from akari.urls): invoices (scoped to the caller:
finance sees all, billing contacts their organisation's issued invoices, others none; another
organisation's invoice is a 404) and the public fee estimate."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from akari.billing import permissions, rates, selectors
from akari.billing.serializers import (
    EstimateQuerySerializer,
    EstimateSerializer,
    InvoiceDetailSerializer,
    InvoiceSerializer,
)
from akari.policies.selectors import NoPolicyInForce, policy_in_force


class InvoiceList(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=InvoiceSerializer(many=True),
        operation_id="billing_invoices_list",
        tags=["billing"],
    )
    def get(self, request: Request) -> Response:
        qs = selectors.invoices(permissions.invoices_visible_to(request.user)).order_by("-pk")
        return Response(InvoiceSerializer(qs[:500], many=True).data)


class InvoiceDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=InvoiceDetailSerializer, operation_id="billing_invoice_retrieve", tags=["billing"]
    )
    def get(self, request: Request, pk: int) -> Response:
        invoice = permissions.get_invoice_for(request.user, pk)
        return Response(InvoiceDetailSerializer(invoice).data)


class Estimate(APIView):
    """What beamtime on a route will cost under the policy in force today."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[EstimateQuerySerializer],
        responses=EstimateSerializer,
        operation_id="billing_estimate",
        tags=["billing"],
    )
    def get(self, request: Request) -> Response:
        query = EstimateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            pack = policy_in_force(data["programme"]).pack
            result = rates.estimate(
                pack,
                route=data["route"],
                hours=data["hours"],
                joining_fiscal_year=data.get("joining_fiscal_year"),
            )
        except (rates.RateError, NoPolicyInForce) as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response(
            EstimateSerializer(
                {"lines": [line.__dict__ for line in result.lines], "subtotal": result.subtotal}
            ).data
        )


urlpatterns: list[URLPattern | URLResolver] = [
    path("billing/invoices/", InvoiceList.as_view(), name="billing-invoice-list"),
    path("billing/invoices/<int:pk>/", InvoiceDetail.as_view(), name="billing-invoice-detail"),
    path("billing/estimate/", Estimate.as_view(), name="billing-estimate"),
]

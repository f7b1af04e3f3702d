from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from akari.accounts import selectors
from akari.accounts.serializers import MeSerializer


class MeView(APIView):
    """The signed-in person (session or ``Authorization: Token …``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve", tags=["accounts"])
    def get(self, request: Request) -> Response:
        person = selectors.person_for_api(int(request.user.pk or 0))
        return Response(MeSerializer(person).data)


urlpatterns = [path("me/", MeView.as_view(), name="me")]

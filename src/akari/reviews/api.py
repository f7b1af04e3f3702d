"""API for peer reviewers: ``/api/v1/reviews/`` (my assigned reviews), same rules as the pages.

- ``GET reviews/`` (``review-list``): my published, non-conflicted assignments;
- ``GET reviews/<id>/`` (``review-detail``): one of them, with the proposal's abstract and
  purpose (withheld for a proprietary proposal);
- ``POST reviews/<id>/submit/`` (``review-submit``): ``{"score": 8, "comment": "..."}``; the
  score must be on the programme's scale. Anyone else's assignment is a 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from akari.reviews import permissions, selectors, services
from akari.reviews.models import ReviewAssignment
from akari.reviews.serializers import (
    ReviewAssignmentDetailSerializer,
    ReviewAssignmentSerializer,
    ReviewSubmitSerializer,
)


@extend_schema(tags=["reviews"], summary="My assigned peer reviews")
class ReviewList(generics.ListAPIView[ReviewAssignment]):
    serializer_class = ReviewAssignmentSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[ReviewAssignment]:
        return selectors.assignment_list(permissions.assignments_visible_to(self.request.user))


@extend_schema(tags=["reviews"], summary="One of my assigned peer reviews")
class ReviewDetail(generics.RetrieveAPIView[ReviewAssignment]):
    serializer_class = ReviewAssignmentDetailSerializer
    permission_classes = [IsAuthenticated]
    queryset = ReviewAssignment.objects.none()

    def get_object(self) -> ReviewAssignment:
        return permissions.get_assignment_for(self.request.user, int(self.kwargs["pk"]))


@extend_schema(
    tags=["reviews"],
    summary="Submit (or revise) my score and comment",
    request=ReviewSubmitSerializer,
    responses=ReviewAssignmentDetailSerializer,
)
class ReviewSubmit(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, pk: int, *args: Any, **kwargs: Any) -> Response:
        assignment = permissions.get_assignment_for(request.user, pk)
        data = ReviewSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.review_submit(
                assignment=assignment,
                actor=request.user,  # type: ignore[arg-type]
                score=data.validated_data["score"],
                comment=data.validated_data["comment"],
            )
        except services.ReviewRefused as refusal:
            raise exceptions.ValidationError({"detail": refusal.messages}) from None
        except DjangoPermissionDenied:
            raise exceptions.PermissionDenied from None
        fresh = permissions.get_assignment_for(request.user, pk)
        body = ReviewAssignmentDetailSerializer(fresh, context={"request": request}).data
        return Response(body, status=status.HTTP_200_OK)


urlpatterns = [
    path("reviews/", ReviewList.as_view(), name="review-list"),
    path("reviews/<int:pk>/", ReviewDetail.as_view(), name="review-detail"),
    path("reviews/<int:pk>/submit/", ReviewSubmit.as_view(), name="review-submit"),
]

"""Review pages, under ``/reviews/``."""

from django.urls import path

from akari.reviews.views import peer, staff, technical

app_name = "reviews"

urlpatterns = [
    # Peer reviewers
    path("", peer.assignment_list, name="assignments"),
    path("<int:pk>/", peer.assignment_detail, name="assignment"),
    path("<int:pk>/score/", peer.assignment_submit, name="assignment-submit"),
    path("<int:pk>/decline/", peer.assignment_decline, name="assignment-decline"),
    path("<int:pk>/conflict/", peer.assignment_conflict, name="assignment-conflict"),
    # Beamline scientists
    path("technical/", technical.technical_list, name="technical-list"),
    path("technical/<int:pk>/", technical.technical_detail, name="technical-detail"),
    path("technical/<int:pk>/take/", technical.technical_take, name="technical-take"),
    # User office
    path("calls/", staff.call_list, name="calls"),
    path("calls/<int:pk>/start/", staff.call_start, name="call-start"),
    path("calls/<int:pk>/technical/", staff.call_technical, name="call-technical"),
    path("technical/<int:pk>/assign/", staff.technical_assign, name="technical-assign"),
    path("calls/<int:pk>/assignments/", staff.call_assignments, name="call-assignments"),
    path("calls/<int:pk>/assignments/optimise/", staff.call_optimise, name="call-optimise"),
    path("calls/<int:pk>/assignments/publish/", staff.call_publish, name="call-publish"),
    path("board/proposals/<int:pk>/add/", staff.assignment_add, name="assignment-add"),
    path("board/<int:pk>/pin/", staff.assignment_pin, name="assignment-pin"),
    path("board/<int:pk>/remove/", staff.assignment_remove, name="assignment-remove"),
    path("calls/<int:pk>/conflicts/", staff.call_conflicts, name="call-conflicts"),
    path(
        "calls/<int:pk>/close-peer-review/",
        staff.call_close_peer_review,
        name="call-close-peer-review",
    ),
    path("calls/<int:pk>/ranking/", staff.call_ranking, name="call-ranking"),
    path("proposals/<int:pk>/", staff.proposal_reviews, name="proposal-reviews"),
]

from django.urls import URLPattern, URLResolver, path

from akari.proposals.views import applicant, calls, editing, staff

app_name = "proposals"
urlpatterns: list[URLPattern | URLResolver] = [
    # Public: calls for proposals.
    path("calls/", calls.call_list, name="calls"),
    path("calls/<int:pk>/", calls.call_detail, name="call"),
    path("calls/<int:pk>/start/", calls.proposal_start, name="start"),
    # Applicants: own proposals.
    path("", applicant.my_proposals, name="mine"),
    path("<int:pk>/", applicant.proposal_detail, name="detail"),
    path("<int:pk>/submit/", applicant.proposal_submit, name="submit"),
    path("<int:pk>/withdraw/", applicant.proposal_withdraw, name="withdraw"),
    path("<int:pk>/copy/", applicant.proposal_copy, name="copy"),
    path("<int:pk>/pdf/", applicant.proposal_pdf, name="pdf"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        applicant.attachment_download,
        name="attachment",
    ),
    # Editing a draft.
    path("<int:pk>/edit/", editing.proposal_edit, name="edit"),
    path("<int:pk>/autosave/", editing.proposal_autosave, name="autosave"),
    path("<int:pk>/team/", editing.team_add, name="team_add"),
    path("<int:pk>/team/<int:member_pk>/", editing.team_update, name="team_update"),
    path("<int:pk>/team/<int:member_pk>/remove/", editing.team_remove, name="team_remove"),
    path("<int:pk>/team/<int:member_pk>/pi/", editing.team_make_pi, name="team_make_pi"),
    path("<int:pk>/requests/", editing.request_add, name="request_add"),
    path(
        "<int:pk>/requests/<int:request_pk>/remove/",
        editing.request_remove,
        name="request_remove",
    ),
    path("<int:pk>/unavailable/", editing.unavailable_add, name="unavailable_add"),
    path(
        "<int:pk>/unavailable/<int:period_pk>/remove/",
        editing.unavailable_remove,
        name="unavailable_remove",
    ),
    path("<int:pk>/publications/", editing.publication_add, name="publication_add"),
    path(
        "<int:pk>/publications/<int:publication_pk>/remove/",
        editing.publication_remove,
        name="publication_remove",
    ),
    path("<int:pk>/attachments/", editing.attachment_add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/",
        editing.attachment_remove,
        name="attachment_remove",
    ),
    # User office.
    path("staff/calls/", staff.call_list, name="staff_calls"),
    path("staff/calls/new/<slug:programme_code>/", staff.call_create, name="staff_call_create"),
    path("staff/calls/<int:pk>/", staff.call_detail, name="staff_call"),
    path("staff/calls/<int:pk>/edit/", staff.call_edit, name="staff_call_edit"),
    path(
        "staff/calls/<int:pk>/<str:action>/",
        staff.call_transition,
        name="staff_call_transition",
    ),
    path(
        "staff/calls/<int:pk>/export.<str:fmt>",
        staff.call_export,
        name="staff_call_export",
    ),
    path("staff/<int:pk>/", staff.proposal_detail, name="staff_proposal"),
]

from django.urls import URLPattern, URLResolver, path

from akari.outcomes import views, views_staff

app_name = "outcomes"

urlpatterns: list[URLPattern | URLResolver] = [
    path("publications/", views.publications, name="publications"),
    path("publications/export.<str:fmt>", views.publications_export, name="export"),
    path("publications/new/", views.publication_new, name="publication-new"),
    path("beamlines/<str:code>/", views.beamline_outcomes, name="beamline"),
    path("reports/<int:pk>/", views.public_report, name="report-public"),
    path("mine/", views.mine, name="mine"),
    path("obligations/<int:pk>/", views.obligation_detail, name="obligation"),
    path("obligations/<int:pk>/report/", views.report_edit, name="report"),
    path("obligations/<int:pk>/extension/", views.extension_request, name="extension"),
    path("obligations/<int:pk>/waive/", views_staff.waive, name="waive"),
    path("experiments/<int:pk>/survey/", views.survey, name="survey"),
    path("experiments/<int:pk>/datasets/", views_staff.datasets, name="datasets"),
    path("experiments/<int:pk>/scicat.json", views_staff.scicat, name="scicat"),
    path("reports/<int:pk>/review/", views_staff.report_review, name="report-review"),
    path("extensions/<int:pk>/decide/", views_staff.extension_decide, name="extension-decide"),
    path("staff/", views_staff.queue, name="queue"),
    path("staff/surveys/", views_staff.surveys, name="surveys"),
]

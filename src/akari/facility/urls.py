from django.urls import path

from akari.facility import views

app_name = "facility"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:facility_code>/<str:code>/", views.beamline_detail, name="beamline"),
]

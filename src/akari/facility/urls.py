from django.urls import path

from akari.facility import views

app_name = "facility"
urlpatterns = [path("", views.catalogue, name="catalogue")]

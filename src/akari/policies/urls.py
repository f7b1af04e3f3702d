from django.urls import path

from akari.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.guide, name="guide"),
    path("<slug:code>/", views.programme, name="programme"),
]

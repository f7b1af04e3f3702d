from django.urls import path

from akari.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("api-token/", views.api_token, name="api_token"),
]

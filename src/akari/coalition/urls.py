from django.urls import URLPattern, URLResolver

app_name = "coalition"

urlpatterns: list[URLPattern | URLResolver] = []

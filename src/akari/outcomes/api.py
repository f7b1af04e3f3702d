"""REST endpoints under /api/v1/ (included from akari.urls)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []

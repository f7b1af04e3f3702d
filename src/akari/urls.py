from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, reverse_lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from akari.accounts import views as account_views

api_v1: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include("akari.accounts.api")),
    path("", include("akari.facility.api")),
    path("", include("akari.policies.api")),
    path("", include("akari.proposals.api")),
    path("", include("akari.reviews.api")),
    path("", include("akari.selection.api")),
    path("", include("akari.scheduling.api")),
    path("", include("akari.coalition.api")),
    path("", include("akari.billing.api")),
    path("", include("akari.outcomes.api")),
    path("", include("akari.services.api")),
    path("", include("akari.outreach.api")),
]

urlpatterns = [
    # The API first: its prefix is unambiguous, and its calls (member bookings above all) are
    # the most frequent requests, so they should not be matched against every page's pattern.
    path("api/v1/", include((api_v1, "v1"), namespace="v1")),
    # The public site (home, news, events, beamline pages), whose home is "/".
    path("", include("akari.outreach.urls")),
    path("", include("akari.core.urls")),
    path("beamlines/", include("akari.facility.urls")),
    path("programmes/", include("akari.policies.urls")),
    path("proposals/", include("akari.proposals.urls")),
    path("reviews/", include("akari.reviews.urls")),
    path("selection/", include("akari.selection.urls")),
    path("scheduling/", include("akari.scheduling.urls")),
    path("coalition/", include("akari.coalition.urls")),
    path("billing/", include("akari.billing.urls")),
    path("outcomes/", include("akari.outcomes.urls")),
    path("services/", include("akari.services.urls")),
    path("inbox/", include("akari.notifications.urls")),
    path("me/", include("akari.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("language/", account_views.language_switch, name="language_switch"),
    # The admin's own password-only login would skip the second factor: use allauth's.
    path(
        "admin/login/",
        RedirectView.as_view(url=reverse_lazy("account_login"), query_string=True),
    ),
    path("admin/", admin.site.urls),
    path(
        "api/v1/docs/",
        SpectacularSwaggerView.as_view(url_name="v1:schema"),
        name="api-docs",
    ),
]

if settings.DEBUG:  # pragma: no cover - static files in development only
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

"""Request mechanics for accounts: the user's language, and MFA for staff roles."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from akari.accounts.permissions import must_enrol_mfa


class UserLanguageMiddleware:
    """Signed-in users get their preferred language unless they chose one in this browser.

    Runs before ``LocaleMiddleware``, which then reads the language cookie as usual.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        cookie = settings.LANGUAGE_COOKIE_NAME
        if user is not None and user.is_authenticated and cookie not in request.COOKIES:
            request.COOKIES[cookie] = user.preferred_language
        return self.get_response(request)


class StaffMfaRequiredMiddleware:
    """Holders of staff roles must enrol TOTP before using anything but the enrolment pages."""

    ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/language/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(self.ALLOWED_PREFIXES) and must_enrol_mfa(request.user):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)

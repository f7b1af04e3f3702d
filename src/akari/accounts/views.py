from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from akari.accounts import selectors, services
from akari.accounts.forms import ProfileForm
from akari.accounts.permissions import has_totp, requires_mfa
from akari.accounts.roles import Role, role_names


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(actor=user, user=user, data=form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        response.set_cookie("akari_language", form.cleaned_data["preferred_language"])
        return response
    roles = [Role(name).label for name in sorted(role_names(user)) if name in Role.values]
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "affiliations": selectors.affiliations_of(user),  # type: ignore[arg-type]
            "roles": roles,
            "requires_mfa": requires_mfa(user),
            "has_totp": has_totp(user),
            "api_token": selectors.api_token_of(user),  # type: ignore[arg-type]
        },
    )


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus remembering the choice on the signed-in person."""
    services.language_set(user=request.user, language=request.POST.get("language", ""))
    return set_language(request)


@login_required
@require_POST
def api_token(request: HttpRequest) -> HttpResponse:
    services.api_token_regenerate(user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("A new API token was issued; the previous one no longer works."))
    return redirect("accounts:profile")

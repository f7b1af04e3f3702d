from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akari.services import permissions, selectors
from akari.services.forms import ContactForm, NeedForm, ProfileForm
from akari.services.models import ExpertiseProfile
from akari.services.services import matching
from akari.services.views.common import report


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "services/matching_home.html",
        {
            "needs": selectors.my_needs(request.user),
            "requests": selectors.researcher_requests(request.user),
            "profile": ExpertiseProfile.objects.filter(person_id=request.user.pk).first(),
            "funnel": permissions.can_see_funnel(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = ExpertiseProfile.objects.filter(person_id=request.user.pk).first()
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            matching.profile_save(actor=request.user, data=form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            report(request, error, form)
        else:
            messages.success(request, _("Your expertise profile is saved."))
            return redirect("services:matching")
    return render(request, "services/profile_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest) -> HttpResponse:
    form = NeedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            need = matching.need_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            report(request, error, form)
        else:
            return redirect("services:need", need.pk)
    return render(request, "services/need_form.html", {"form": form})


@login_required
@require_GET
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = permissions.get_own_need(request.user, pk)
    return render(
        request,
        "services/need_detail.html",
        {
            "need": need,
            "suggestions": selectors.need_suggestions(need),
            "contact_form": ContactForm(),
        },
    )


@login_required
@require_POST
def need_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    need = permissions.get_own_need(request.user, pk)
    try:
        if action == "refresh":
            matching.suggestions_refresh(need=need, actor=request.user)
        elif action == "close":
            matching.need_close(need=need, actor=request.user)  # type: ignore[arg-type]
        elif action == "contact":
            suggestion = get_object_or_404(need.suggestions, pk=request.POST.get("suggestion"))
            form = ContactForm(request.POST)
            form.is_valid()
            matching.suggestion_contact(
                suggestion=suggestion,
                actor=request.user,  # type: ignore[arg-type]
                message=form.cleaned_data.get("message", ""),
            )
            messages.success(request, _("The researcher has been asked; they now see your need."))
        else:
            raise PermissionDenied
    except ValidationError as error:
        report(request, error)
    return redirect("services:need", pk)


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = permissions.get_request_for(request.user, pk)
    if request.method == "POST":
        try:
            matching.suggestion_answer(
                suggestion=suggestion,
                accept=request.POST.get("answer") == "accept",
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            report(request, error)
        return (
            redirect("services:match-request", pk)
            if request.POST.get("answer") == "accept"
            else redirect("services:matching")
        )
    return render(
        request,
        "services/match_request.html",
        {
            "suggestion": suggestion,
            "need": suggestion.need,
            "can_answer": permissions.can_answer(request.user, suggestion),
        },
    )


@login_required
@require_GET
def funnel(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_funnel(request.user):
        raise PermissionDenied
    return render(request, "services/funnel.html", {"funnel": selectors.funnel()})

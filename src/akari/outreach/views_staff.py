"""Staff pages of the public site: news and events in both languages (draft, preview,
publish), attendee lists with CSV export and attendance marking."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akari.outreach import export, news, permissions, selectors, services
from akari.outreach.forms import CancelEventForm, EventForm, NewsForm


def content_staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only content staff; everyone else gets a 404 (the staff pages do not exist for them)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.is_content_staff(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- News ------------------------------------------------------------------------------------


@content_staff
@require_GET
def staff_news(request: HttpRequest) -> HttpResponse:
    return render(
        request, "outreach/staff/news_list.html", {"items": selectors.staff_news(request.user)}
    )


@content_staff
@require_http_methods(["GET", "POST"])
def news_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    item = permissions.get_news_for(request.user, pk) if pk else None
    form = NewsForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "audiences"}
        try:
            if item is None:
                item = news.news_create(
                    actor=request.user, audiences=form.cleaned_data["audiences"], **values
                )
            else:
                item = news.news_update(
                    item=item,
                    actor=request.user,
                    audiences=form.cleaned_data["audiences"],
                    **values,
                )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved. Check the preview before publishing."))
            return redirect("outreach:staff-news-preview", pk=item.pk)
    return render(request, "outreach/staff/news_form.html", {"form": form, "item": item})


@content_staff
@require_GET
def news_preview(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_news_for(request.user, pk)
    return render(request, "outreach/staff/news_preview.html", {"item": item})


@content_staff
@require_POST
def news_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = permissions.get_news_for(request.user, pk)
    try:
        if action == "publish":
            news.news_publish(item=item, actor=request.user)
            messages.success(request, _("Published."))
        elif action == "unpublish":
            news.news_unpublish(item=item, actor=request.user)
            messages.success(request, _("Withdrawn to a draft."))
        else:
            raise Http404("No such action.")
    except ValidationError as error:
        _errors(request, error)
    return redirect("outreach:staff-news-preview", pk=item.pk)


# --- Events ----------------------------------------------------------------------------------


@content_staff
@require_GET
def staff_events(request: HttpRequest) -> HttpResponse:
    return render(
        request, "outreach/staff/event_list.html", {"events": selectors.staff_events(request.user)}
    )


@content_staff
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    event = permissions.get_event_for(request.user, pk) if pk else None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "audiences"}
        try:
            if event is None:
                event = services.event_create(
                    actor=request.user, audiences=form.cleaned_data["audiences"], **values
                )
            else:
                event = services.event_update(
                    event=event,
                    actor=request.user,
                    audiences=form.cleaned_data["audiences"],
                    **values,
                )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(event.get_absolute_url())
    return render(request, "outreach/staff/event_form.html", {"form": form, "event": event})


@content_staff
@require_POST
def event_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    event = permissions.get_event_for(request.user, pk)
    try:
        if action == "publish":
            services.event_publish(event=event, actor=request.user)
            messages.success(request, _("Published: registration opens as scheduled."))
        elif action == "unpublish":
            services.event_unpublish(event=event, actor=request.user)
            messages.success(request, _("Withdrawn to a draft."))
        elif action == "cancel":
            form = CancelEventForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.event_cancel(event=event, actor=request.user, reason=reason)
            messages.success(request, _("The event is cancelled; registered people were told."))
        else:
            raise Http404("No such action.")
    except ValidationError as error:
        _errors(request, error)
    return redirect(event.get_absolute_url())


@content_staff
@require_GET
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.get_event_for(request.user, pk)
    return render(
        request,
        "outreach/staff/attendees.html",
        {
            "event": event,
            "registrations": selectors.attendees(event),
            "cancel_form": CancelEventForm(),
        },
    )


@content_staff
@require_GET
def attendees_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.get_event_for(request.user, pk)
    response = HttpResponse(export.attendees_csv(event), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.csv"'
    return response


@content_staff
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    registration = permissions.get_registration_for_staff(request.user, pk)
    attended = request.POST.get("attended") == "yes"
    try:
        services.registration_mark_attendance(
            registration=registration, attended=attended, actor=request.user
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect("outreach:staff-attendees", pk=registration.event_id)

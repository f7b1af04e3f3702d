"""Public pages: home, news, events (with registration), the audience pages, the beamline
finder and the coalition beamlines' policy areas. Staff pages are in ``views_staff``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from akari.accounts.models import User
from akari.core import clock
from akari.outreach import finder, ical, permissions, selectors, services
from akari.outreach.forms import FinderForm
from akari.outreach.models import Audience

AUDIENCE_INTROS = {
    Audience.Code.PUBLIC: gettext_lazy(
        "What a synchrotron is, what it has found, and how to visit: facility tours, public "
        "lectures and schools for students."
    ),
    Audience.Code.USERS: gettext_lazy(
        "How to get beamtime and what each beamline can measure: calls for proposals, "
        "briefings on the end stations, training and workshops."
    ),
    Audience.Code.POLICY: gettext_lazy(
        "What the facility contributes to policy goals: the coalition beamlines and their "
        "policy areas, results and symposia."
    ),
    Audience.Code.OVERSEAS: gettext_lazy(
        "Beamtime for researchers from abroad: programmes open to you, English support and "
        "events held online."
    ),
}


def _optional_url(name: str) -> str:
    """A page of an app this one does not depend on (e.g. the outcomes' publication list), or
    "" when it is not installed."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outreach/home.html",
        {
            "news": selectors.latest_news(limit=4),
            "events": selectors.upcoming_events(limit=4),
            "audience_codes": Audience.Code,
        },
    )


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outreach/news_list.html",
        {"news": selectors.news_page(request.user)[:50], "audience_codes": Audience.Code},
    )


@require_GET
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_news_for(request.user, pk)
    public = permissions.published_news().filter(pk=item.pk).exists()
    return render(request, "outreach/news_detail.html", {"item": item, "preview": not public})


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outreach/event_list.html",
        {
            "events": selectors.upcoming_events(limit=None),
            "past": selectors.past_events(limit=10),
        },
    )


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.get_event_for(request.user, pk)
    registration = selectors.own_registration(request.user, event)
    seats_taken, waiting = selectors.event_counts(event)
    return render(
        request,
        "outreach/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "rank": registration and services.waitlist_rank(registration),
            "seats_taken": seats_taken,
            "seats_free": max(event.capacity - seats_taken, 0),
            "waiting": waiting,
            "registration_open": event.registration_is_open(clock.now()),
            "not_yet_open": clock.now() < event.registration_opens_at,
            "started": clock.now() >= event.starts_at,
            "show_url": permissions.can_see_online_url(request.user, event, registration),
            "staff": permissions.can_manage_event(request.user, event),
        },
    )


@login_required
@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.get_event_for(request.user, pk)
    assert isinstance(request.user, User)
    try:
        registration = services.registration_create(
            event=event, person=request.user, actor=request.user
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        if registration.status == registration.Status.REGISTERED:
            messages.success(request, _("You are registered. A confirmation is in your inbox."))
        else:
            messages.warning(
                request,
                _("The event is full: you are number %(position)s on the waitlist.")
                % {"position": services.waitlist_rank(registration)},
            )
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = permissions.get_own_registration(request.user, pk)
    assert isinstance(request.user, User)
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(registration.event.get_absolute_url())


@require_GET
def event_ical(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.get_event_for(request.user, pk)
    response = HttpResponse(
        ical.calendar([event], str(event)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@login_required
@require_GET
def my_events(request: HttpRequest) -> HttpResponse:
    token = ical.feed_token(request.user)
    from akari.outreach.training import trainings_of

    return render(
        request,
        "outreach/my_events.html",
        {
            "registrations": selectors.my_registrations(request.user),
            "trainings": trainings_of(request.user),
            "feed_url": request.build_absolute_uri(
                reverse("outreach:my-events-feed", args=[token])
            ),
            "now": clock.now(),
        },
    )


@require_GET
def my_events_feed(request: HttpRequest, token: str) -> HttpResponse:
    person_id = ical.person_for_token(token)
    if person_id is None:
        raise Http404("No such feed.")
    response = HttpResponse(
        ical.my_events(person_id, _("My events") + " — Akari"),
        content_type="text/calendar; charset=utf-8",
    )
    return response


@require_GET
def audience(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        code = Audience.Code(slug)
    except ValueError as missing:
        raise Http404("No such audience.") from missing
    context = {
        "audience": code,
        "intro": AUDIENCE_INTROS[code],
        "audience_codes": Audience.Code,
        "news": selectors.latest_news(audience=code, limit=5),
        "events": selectors.upcoming_events(audience=code, limit=5),
        "results_url": _optional_url("outcomes:publications"),
    }
    if code == Audience.Code.POLICY:
        context["areas"], context["coalition"] = selectors.coalition_map()
    return render(request, "outreach/audience.html", context)


@require_GET
def finder_page(request: HttpRequest) -> HttpResponse:
    form = FinderForm(request.GET or None)
    matches: list[finder.Match] | None = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"] or data["policy_area"]:
            matches = finder.find(
                data["q"], policy_area=data["policy_area"], facility=data["facility"]
            )
    return render(request, "outreach/finder.html", {"form": form, "matches": matches})


@require_GET
def explore_beamlines(request: HttpRequest) -> HttpResponse:
    areas, coalition = selectors.coalition_map()
    return render(
        request,
        "outreach/explore_beamlines.html",
        {"areas": areas, "coalition": coalition, "beamlines": selectors.measurable_beamlines()},
    )

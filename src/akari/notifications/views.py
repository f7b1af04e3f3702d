"""The inbox: a person's own notifications, newest first; mark one or all read (htmx)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from akari.notifications import permissions, selectors, services


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _page(request: HttpRequest) -> Page:
    paginator = Paginator(selectors.inbox(request.user), selectors.INBOX_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page") or request.POST.get("page"))


@login_required
def inbox(request: HtmxHttpRequest) -> HttpResponse:
    page = _page(request)
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    response = render(
        request,
        "notifications/_list.html" if partial else "notifications/inbox.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def mark_read(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    notification = permissions.get_notification_for(request.user, pk)
    notification = services.notification_mark_read(
        user=request.user,  # type: ignore[arg-type]
        notification=notification,
    )
    if request.htmx:
        return render(
            request,
            "notifications/_item_read.html",
            {"notification": notification, "unread": selectors.unread_count(request.user)},
        )
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HtmxHttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)  # type: ignore[arg-type]
    if request.htmx:
        return render(
            request,
            "notifications/_list.html",
            {"page": _page(request), "unread": selectors.unread_count(request.user)},
        )
    return redirect("notifications:inbox")

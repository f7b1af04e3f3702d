"""Public pages: the programme guide and one page per programme."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from akari.core import clock
from akari.policies import guide as guide_table
from akari.policies import selectors


def guide(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    versions = selectors.policies_in_force(on=today)
    return render(
        request,
        "policies/guide.html",
        {"versions": versions, "rows": guide_table.rows(versions), "today": today},
    )


def programme(request: HttpRequest, code: str) -> HttpResponse:
    today = clock.today()
    page = selectors.programme_page(code, on=today)
    if page is None:
        raise Http404("No such programme.")
    context: dict[str, Any] = {"page": page, "today": today}
    if page.version is not None:
        context["fee_table"] = guide_table.fee_table(page.version)
        context["tax_percent"] = guide_table.tax_percent(page.version)
    return render(request, "policies/programme.html", context)

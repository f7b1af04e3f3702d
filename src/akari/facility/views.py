"""Public pages of the beamline catalogue (no login needed)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from akari.facility import selectors
from akari.facility.forms import CatalogueFilterForm
from akari.facility.models import Beamline


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def catalogue(request: HtmxHttpRequest) -> HttpResponse:
    """The catalogue with its filters; an htmx request gets only the results partial."""
    form = CatalogueFilterForm(request.GET or None, options=selectors.catalogue_options())
    beamlines = selectors.beamline_list(filters=form.filters())
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    response = render(
        request,
        "facility/_results.html" if partial else "facility/catalogue.html",
        {"form": form, "beamlines": beamlines},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def beamline_detail(request: HttpRequest, facility_code: str, code: str) -> HttpResponse:
    try:
        beamline = selectors.beamline_detail(facility_code=facility_code, code=code)
    except Beamline.DoesNotExist:
        raise Http404(_("No such beamline.")) from None
    return render(request, "facility/beamline_detail.html", {"beamline": beamline})

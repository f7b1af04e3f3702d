"""Small helpers shared by the review pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from akari.proposals.models import Proposal
from akari.proposals.permissions import proposal_display_for
from akari.proposals.rules import unit_rule
from akari.proposals.selectors import proposal_detail

PAGE_SIZE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def page_of(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page:
    return Paginator(items, size).get_page(request.GET.get("page"))


def proposal_context(user: Any, proposal_pk: int) -> dict[str, Any]:
    """The proposal with all its parts, as the proposals app shows it to this viewer (the
    caller has checked access through this app's permissions)."""
    proposal = proposal_detail(Proposal.objects.filter(pk=proposal_pk), proposal_pk)
    return {
        "proposal": proposal,
        "display": proposal_display_for(user, proposal),
        "unit_rule": unit_rule(proposal.call),
    }

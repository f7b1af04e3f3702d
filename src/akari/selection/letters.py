"""The content of decision letters and promotion notices (JSON-safe notification contexts).

A letter tells the team the outcome, the beamtime awarded per beamline (accepted), that the
proposal waits for freed beamtime (waitlisted), or, when not accepted, the technical reviewers'
comments *to the applicant* (never internal comments, never peer-review texts or scores).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import NoReverseMatch, reverse

from akari.proposals.models import Proposal
from akari.selection import ranking as reviews
from akari.selection import rules


def proposal_link(proposal: Proposal) -> str:
    """The applicant's page of the proposal (the proposals app's), or none."""
    try:
        return reverse("proposals:detail", args=[proposal.pk])
    except NoReverseMatch:
        return ""


def technical_comments(proposals: Sequence[Proposal]) -> dict[int, list[dict[str, str]]]:
    """Proposal pk -> the technical reviews' comments to the applicant, per beamline, for the
    proposals that were not accepted (read from the reviews app)."""
    rejected = [p for p in proposals if p.status == Proposal.Status.REJECTED]
    if not rejected:
        return {}
    found: dict[int, list[dict[str, str]]] = {}
    for proposal_id, beamline_code, comment in reviews.comments_to_applicant(rejected):
        if comment.strip():
            item = {"beamline": beamline_code, "comment": comment}
            found.setdefault(proposal_id, []).append(item)
    return found


def decision_context(proposal: Proposal, comments: list[dict[str, str]]) -> dict[str, Any]:
    call = proposal.call
    accepted = proposal.status == Proposal.Status.ACCEPTED
    return {
        "proposal_number": proposal.number or "",
        "title": proposal.title,
        "call_code": call.code,
        "call_title_ja": call.title_ja,
        "call_title_en": call.title_en,
        "period_start": call.period_start.isoformat(),
        "period_end": call.period_end.isoformat(),
        "outcome": str(proposal.status),
        "unit": rules.unit_kind(call),
        "awards": [
            {"beamline": r.beamline.code, "units": r.units_awarded or 0}
            for r in proposal.beamline_requests.all()
            if accepted and r.units_awarded
        ],
        "technical_comments": comments if proposal.status == Proposal.Status.REJECTED else [],
    }

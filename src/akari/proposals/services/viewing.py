"""The audit trail of who read a confidential proposal."""

from __future__ import annotations

from typing import Any

from akari.core import audit
from akari.proposals.models import Proposal
from akari.proposals.permissions import viewing_is_audited


def proposal_viewed(*, proposal: Proposal, actor: Any, what: str = "page") -> bool:
    """Record a view of a proprietary proposal by anyone outside its team (user office,
    technical reviewers): one ``proposal.viewed`` audit row. Returns whether it recorded."""
    if not viewing_is_audited(actor, proposal):
        return False
    audit.record(actor=actor, action="proposal.viewed", obj=proposal, view=what)
    return True

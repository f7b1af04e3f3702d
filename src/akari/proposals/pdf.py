"""The proposal as a PDF (WeasyPrint), for panels, staff and the team.

Japanese and Latin text are set in Noto Sans CJK JP (Debian's ``fonts-noto-cjk``, installed
with the system packages); the template carries its own CSS so no file or URL is fetched.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from akari.core import clock
from akari.proposals.models import Proposal
from akari.proposals.rules import unit_rule
from akari.proposals.selectors import principal_investigator


def render_pdf(proposal: Proposal, *, display: Any, full: bool = True) -> bytes:
    """PDF bytes of a proposal fetched with :func:`selectors.proposal_detail`. ``display`` is
    the viewer's :class:`~akari.proposals.permissions.ProposalDisplay`; with ``full`` false
    (a proprietary proposal for a panel reviewer) only the number and the request are printed."""
    import weasyprint  # heavy: imported only when a PDF is made

    html = render_to_string(
        "proposals/pdf.html",
        {
            "proposal": proposal,
            "display": display,
            "full": full,
            "pi": principal_investigator(proposal),
            "unit_rule": unit_rule(proposal.call),
            "printed_at": clock.now(),
            "LANGUAGE_CODE": translation.get_language(),
        },
    )
    return bytes(weasyprint.HTML(string=html).write_pdf())

"""Every write of the proposals app (one function per verb; keyword-only, atomic).

For the reviews and selection apps: ``call_close(call=, actor=)`` moves every submitted proposal
to technical review; ``call_decide(call=, actor=)`` marks a closed call decided.
"""

from akari.proposals.services.attachments import attachment_add, attachment_remove, check_pdf
from akari.proposals.services.calls import (
    call_close,
    call_create,
    call_decide,
    call_open,
    call_set_beamlines,
    call_update,
    routes_for,
)
from akari.proposals.services.drafts import (
    DRAFT_FIELDS,
    beamline_request_remove,
    beamline_request_save,
    proposal_copy,
    proposal_create,
    proposal_update,
    publication_add,
    publication_remove,
    team_member_add,
    team_member_make_pi,
    team_member_remove,
    team_member_update,
    unavailable_add,
    unavailable_remove,
)
from akari.proposals.services.submission import (
    SubmissionRefused,
    proposal_submit,
    proposal_withdraw,
)
from akari.proposals.services.viewing import proposal_viewed

__all__ = [
    "DRAFT_FIELDS",
    "SubmissionRefused",
    "attachment_add",
    "attachment_remove",
    "beamline_request_remove",
    "beamline_request_save",
    "call_close",
    "call_create",
    "call_decide",
    "call_open",
    "call_set_beamlines",
    "call_update",
    "check_pdf",
    "proposal_copy",
    "proposal_create",
    "proposal_submit",
    "proposal_update",
    "proposal_viewed",
    "proposal_withdraw",
    "publication_add",
    "publication_remove",
    "routes_for",
    "team_member_add",
    "team_member_make_pi",
    "team_member_remove",
    "team_member_update",
    "unavailable_add",
    "unavailable_remove",
]

"""Every write of the reviews app (one function per verb; keyword-only, atomic).

For the selection app and the end-to-end test: :func:`review_start` (close the call and open
the technical reviews), :func:`technical_review_submit`, :func:`assignment_optimise`,
:func:`assignments_publish`, :func:`review_submit`, :func:`peer_review_close` (every proposal
still in peer review goes to the committee).
"""

from akari.reviews.services.assigning import (
    assignment_add,
    assignment_optimise,
    assignment_pin,
    assignment_remove,
    assignments_publish,
    conflicts_detect,
)
from akari.reviews.services.common import ReviewRefused, proposal_view_record
from akari.reviews.services.reminders import reminders_send
from akari.reviews.services.reviewing import (
    assignment_decline,
    conflict_declare,
    peer_review_close,
    review_submit,
)
from akari.reviews.services.technical import (
    proposal_technical_review_start,
    review_start,
    technical_review_assign,
    technical_review_submit,
    technical_review_take,
)

__all__ = [
    "ReviewRefused",
    "assignment_add",
    "assignment_decline",
    "assignment_optimise",
    "assignment_pin",
    "assignment_remove",
    "assignments_publish",
    "conflict_declare",
    "conflicts_detect",
    "peer_review_close",
    "proposal_technical_review_start",
    "proposal_view_record",
    "reminders_send",
    "review_start",
    "review_submit",
    "technical_review_assign",
    "technical_review_submit",
    "technical_review_take",
]

"""Refusals of coalition actions: every one names the rule that refused it (``code``) and
carries a translated message; the API maps them to HTTP statuses."""

from __future__ import annotations

from django.core.exceptions import ValidationError

# Rule codes answered with 409 Conflict by the API (the time is taken); every other refusal is
# 422 Unprocessable Content.
CONFLICT_CODES = frozenset({"slot_taken"})


class BookingRefused(ValidationError):
    """A booking, request, cancellation or waitlist action refused by a rule."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code)
        self.rule = code

    @property
    def http_status(self) -> int:
        return 409 if self.rule in CONFLICT_CODES else 422

    @property
    def text(self) -> str:
        return str(self.messages[0])

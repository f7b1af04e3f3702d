"""A mail backend for the retry tests: fails a set number of times, then delivers to the
locmem outbox (``django.core.mail.outbox``) like the test backend does."""

from __future__ import annotations

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """``FlakyBackend.failures_left`` sends fail (-1: every send fails); ``attempts`` counts
    every call. A new backend is created for each message, so the state lives on the class."""

    failures_left = 0
    attempts = 0

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        FlakyBackend.attempts += 1
        if FlakyBackend.failures_left != 0:
            FlakyBackend.failures_left -= 1
            raise SMTPServerDisconnected("mail server went away")
        return super().send_messages(messages)

"""E-mail to people without an account (a consultation's requester before or without signing
up): rendered in the consultation's language, sent after the transaction commits. People with
an account are told through ``notifications.notify`` instead."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def absolute(path: str) -> str:
    from akari.notifications.rendering import absolute_url

    return absolute_url(path)


def _send(to: str, subject: str, body: str) -> None:
    EmailMessage(subject=subject, body=body, to=[to]).send()


def send_later(*, to: str, template: str, language: str, context: Mapping[str, Any]) -> None:
    """Render ``services/email/<template>_subject.txt`` and ``_body.txt`` in ``language`` and
    send them once the current transaction commits."""
    with translation.override(language):
        raw_subject = str(render_to_string(f"services/email/{template}_subject.txt", dict(context)))
        body = str(render_to_string(f"services/email/{template}_body.txt", dict(context)))
    subject = "[Akari] " + " ".join(raw_subject.split())
    transaction.on_commit(partial(_send, to, subject[:255], body.strip() + "\n"))

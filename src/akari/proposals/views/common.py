"""Small helpers shared by the proposal views (no rules here: those are in permissions.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def apply(form: forms.BaseForm | None, action: Callable[[], Any]) -> Any:
    """Run a service; put its ValidationError on ``form`` (per field when it names one).

    Returns the service's result, or None when it refused.
    """
    try:
        return action()
    except ValidationError as error:
        if form is None:
            raise
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error.messages)
        return None


def is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]

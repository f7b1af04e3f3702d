from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def report(request: HttpRequest, error: ValidationError, form: object | None = None) -> None:
    """Show a service's refusal: on the form's fields when it names them, else as messages."""
    if form is not None and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in getattr(form, "fields", {}) else None
            for e in errors:
                form.add_error(target, e)  # type: ignore[attr-defined]
        return
    for message in error.messages:
        messages.error(request, message)

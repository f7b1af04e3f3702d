"""ORCID iD validation (ISO 7064 11,2 checksum), e.g. ``0000-0002-1825-0097``."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_FORMAT = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
_URL_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")


def normalise(value: str) -> str:
    value = value.strip()
    for prefix in _URL_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value.upper()


def check_digit(base_digits: str) -> str:
    total = 0
    for char in base_digits:
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def is_valid(value: str) -> bool:
    value = normalise(value)
    if not _FORMAT.match(value):
        return False
    digits = value.replace("-", "")
    return check_digit(digits[:-1]) == digits[-1]


def validate_orcid(value: str) -> None:
    value = normalise(value)
    if not _FORMAT.match(value):
        raise ValidationError(
            _("An ORCID iD has the form 0000-0000-0000-0000 (the last character may be X)."),
            code="orcid_format",
        )
    if not is_valid(value):
        raise ValidationError(
            _("This ORCID iD has a wrong check digit; please copy it again from orcid.org."),
            code="orcid_checksum",
        )

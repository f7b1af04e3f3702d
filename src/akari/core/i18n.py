"""Helpers for bilingual content stored as ``<name>_ja`` / ``<name>_en`` field pairs."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext_noop


def current_language() -> str:
    return (get_language() or "ja")[:2]


def localized(obj: Any, name: str, language: str | None = None) -> str:
    """``obj.<name>_<lang>`` in the active language, falling back to the other language."""
    language = (language or current_language())[:2]
    other = "en" if language == "ja" else "ja"
    if isinstance(obj, dict):
        value = obj.get(f"{name}_{language}") or obj.get(f"{name}_{other}")
    else:
        value = getattr(obj, f"{name}_{language}", "") or getattr(obj, f"{name}_{other}", "")
    return value or ""


# Strings of Django 6.1 that its Japanese catalogue does not translate yet. Listing them here
# puts them into core's catalogue, which takes precedence (core is the first installed app).
_UPSTREAM_GAPS = (gettext_noop("- Select an option -"),)

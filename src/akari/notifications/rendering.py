"""Turning a notification kind and its context into a subject and a body.

Template convention: kind ``"<app>.<event>"`` renders the two plain-text templates
``<app>/notifications/<event>_subject.txt`` and ``<app>/notifications/<event>_body.txt``, which
live in the calling app's ``templates`` folder (e.g.
``src/akari/proposals/templates/proposals/notifications/submitted_subject.txt``). They are
rendered with ``{% translate %}``/``{% blocktranslate %}`` active in the recipient's language and
without HTML auto-escaping (the output is plain text). Besides the caller's context they see
``recipient_name`` (the person's name in the script of their language) and ``link_url`` (the
absolute URL of the in-app link, or "").

The subject is collapsed to one line, prefixed ``[Akari] `` and cut to 255 characters; the body
keeps its line breaks, with surrounding blank lines and runs of more than one empty line removed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template import Context, Engine
from django.utils import translation

SUBJECT_PREFIX = "[Akari] "
SUBJECT_MAX_LENGTH = 255
KIND_PATTERN = re.compile(r"^(?P<app>[a-z][a-z0-9_]*)\.(?P<event>[a-z][a-z0-9_]*)$")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def template_names(kind: str) -> tuple[str, str]:
    """The (subject, body) template names of a kind; ``ValueError`` for a malformed kind."""
    match = KIND_PATTERN.match(kind)
    if match is None:
        raise ValueError(
            f"Notification kind {kind!r} is not '<app>.<event>' (lower case, digits, underscores)."
        )
    stem = f"{match['app']}/notifications/{match['event']}"
    return f"{stem}_subject.txt", f"{stem}_body.txt"


def json_context(context: Mapping[str, Any] | None) -> dict[str, Any]:
    """The context as it is stored (and rendered): JSON values only.

    Decimals, dates, times, UUIDs and lazy translations become strings (``DjangoJSONEncoder``);
    anything else that JSON cannot hold (a model instance, a set ...) raises ``TypeError`` at
    once, in the caller's code, rather than in a worker later.
    """
    try:
        return dict(json.loads(json.dumps(dict(context or {}), cls=DjangoJSONEncoder)))
    except TypeError as error:
        raise TypeError(
            f"Notification context must be JSON-serialisable (str, int, Decimal, date ...): {error}"
        ) from error


def absolute_url(path: str) -> str:
    """``settings.AKARI_SITE_URL`` (e.g. https://akari.example.org) joined to an in-app path."""
    if not path:
        return ""
    base = str(getattr(settings, "AKARI_SITE_URL", "")).rstrip("/")
    return f"{base}{path}"


def render_text(template_name: str, context: Mapping[str, Any], language: str) -> str:
    """One plain-text template, in ``language``, without auto-escaping."""
    template = Engine.get_default().get_template(template_name)
    with translation.override(language):
        return template.render(Context(dict(context), autoescape=False))


def one_line(text: str) -> str:
    return " ".join(text.split())


def tidy_body(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def render_notification(*, kind: str, context: Mapping[str, Any], language: str) -> Rendered:
    subject_template, body_template = template_names(kind)
    subject = SUBJECT_PREFIX + one_line(render_text(subject_template, context, language))
    if len(subject) > SUBJECT_MAX_LENGTH:
        subject = subject[: SUBJECT_MAX_LENGTH - 1] + "…"
    return Rendered(subject=subject, body=tidy_body(render_text(body_template, context, language)))

"""Reading policy pack files: YAML -> validated :class:`~akari.policies.schema.Pack`.

The three packs the project ships live in ``packs/`` (``spring8.yaml``,
``nanoterasu-shared.yaml``, ``nanoterasu-coalition.yaml``). Anything wrong with a file raises
:class:`PackError`, whose message names the file, the key path (``routes[2].fees[0]``) and the
problem in plain words, listing every problem found rather than only the first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from akari.policies.schema import Pack, Problem, cross_check

PACK_DIR = Path(__file__).resolve().parent / "packs"
SHIPPED_PACKS: tuple[str, ...] = ("spring8", "nanoterasu-shared", "nanoterasu-coalition")


class PackError(Exception):
    """A policy pack that cannot be loaded. ``str(error)`` is the message for people."""

    def __init__(self, source: str, problems: Sequence[Problem | str]) -> None:
        self.source = source
        self.problems = [p if isinstance(p, Problem) else Problem("", p) for p in problems]
        lines = [f"Policy pack {source} cannot be loaded:"]
        lines += [f"  - {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


def resolve(name_or_path: str | Path) -> Path:
    """A shipped pack name (``spring8``) or a path to a YAML file."""
    text = str(name_or_path)
    if text in SHIPPED_PACKS:
        return PACK_DIR / f"{text}.yaml"
    path = Path(text)
    if not path.exists():
        known = ", ".join(SHIPPED_PACKS)
        raise PackError(text, [f"no such file, and not a pack name (known packs: {known})"])
    return path


def key_path(loc: Sequence[str | int]) -> str:
    """``("routes", 2, "fees", 0)`` -> ``routes[2].fees[0]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_MESSAGES = {
    "missing": "this key is required but missing",
    "extra_forbidden": "unknown key (misspelt, or not part of a policy pack)",
}


def _problem(error: Mapping[str, Any]) -> Problem:
    # Drop pydantic's internal union/validator tags (e.g. "list[str]", "function-after[...]").
    loc = [
        part
        for part in error["loc"]
        if isinstance(part, int) or ("[" not in part and not part.startswith("literal"))
    ]
    message = _MESSAGES.get(error["type"])
    if message is None:
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] not in {"value_error", "assertion_error"} and "input" in error:
            given = error["input"]
            if not isinstance(given, dict | list):
                message += f" (got {given!r})"
            if error["type"] == "string_type" and isinstance(given, int | float):
                message += '; write it in quotes, e.g. "2026.1"'
    return Problem(key_path(loc), message)


def _merge(problems: list[Problem]) -> list[Problem]:
    """One line per key: the alternatives of a union become "a valid list or 'all'"."""
    by_path: dict[str, list[str]] = {}
    for problem in problems:
        by_path.setdefault(problem.path, []).append(problem.message)
    merged = []
    prefix = "Input should be "
    for path, messages in by_path.items():
        if len(messages) > 1 and all(m.startswith(prefix) for m in messages):
            got = [m[m.rfind(" (got ") :] if " (got " in m else "" for m in messages]
            bare = [m[len(prefix) : len(m) - len(g)] for m, g in zip(messages, got, strict=True)]
            messages = [prefix + " or ".join(bare) + got[0]]
        merged.append(Problem(path, "; ".join(messages)))
    return merged


def parse(
    text: str, *, source: str, facilities: Mapping[str, set[str]] | None = None
) -> tuple[Pack, str]:
    """Validate pack ``text``; return the pack and the sha256 of its canonical document.

    ``facilities`` (facility code -> beamline codes) enables the catalogue checks.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark is not None:
            problem += (
                f" ({context} that starts at line {context_mark.line + 1}, "
                f"column {context_mark.column + 1})"
            )
        raise PackError(source, [Problem(where, f"not valid YAML: {problem}")]) from exc
    if not isinstance(data, dict):
        raise PackError(source, ["the file must contain a mapping of keys (pack, version, ...)"])
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        raise PackError(source, _merge([_problem(e) for e in exc.errors()])) from exc
    problems = cross_check(pack, facilities=facilities)
    if problems:
        raise PackError(source, problems)
    return pack, digest(pack)


def read(path: Path, *, facilities: Mapping[str, set[str]] | None = None) -> tuple[Pack, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(str(path), [f"cannot be read: {exc}"]) from exc
    return parse(text, source=str(path), facilities=facilities)


def document(pack: Pack) -> dict[str, Any]:
    """The JSON document stored with a policy version (money as digit strings)."""
    return pack.model_dump(mode="json")


def digest(pack: Pack) -> str:
    """sha256 of what the author wrote, canonicalised: edits to comments or layout don't change
    it, and neither does a later schema key with a default (``exclude_unset``)."""
    canonical = json.dumps(
        pack.model_dump(mode="json", exclude_unset=True), sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def same_content(stored: Mapping[str, Any], pack: Pack) -> bool:
    """Whether a stored document says the same as ``pack`` under today's schema (both with
    today's defaults filled in): versions loaded before a schema key was added stay equal."""
    try:
        return document(Pack.model_validate(stored)) == document(pack)
    except ValidationError:
        return False

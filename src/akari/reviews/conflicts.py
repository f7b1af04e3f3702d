"""Detecting conflicts of interest (pure functions over plain data).

Two kinds are detected on the server (a third, "declared", comes from the reviewer):

- **Same organisation**: the reviewer's primary affiliation is at the same organisation as the
  primary affiliation of any member of the proposal's team.
- **Co-author**: a line of a listed publication's authors (one author per line, as printed)
  names the reviewer. Latin script: family and given name in either order ("Hana Sato",
  "Sato Hana", "Sato, Hana"), or the given name's initial ("H. Sato", "Sato, H.", "H Sato"),
  middle names or initials allowed between them ("Hana K. Sato"); case, accents of full-width
  letters, dots, commas, footnote marks and digits are ignored. Japanese script: family and
  given name with or without a space between them ("佐藤 花子", "佐藤花子").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_MARKS = re.compile(r"[\d*†‡§¶#()\[\]]")
_SEPARATORS = re.compile(r"[.,;·・]")


@dataclass(frozen=True)
class PersonNames:
    family: str = ""
    given: str = ""
    family_ja: str = ""
    given_ja: str = ""


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _MARKS.sub(" ", text)
    text = _SEPARATORS.sub(" ", text)
    return " ".join(text.split())


def _latin_match(tokens: list[str], family: str, given: str) -> bool:
    if len(tokens) < 2 or not family or not given:
        return False
    family_tokens = family.split()
    given_first = given.split()[0]
    initial = given_first[0]

    def is_given(token: str) -> bool:
        return token in (given_first, initial)

    n = len(family_tokens)
    # Given ... Family
    if tokens[-n:] == family_tokens and len(tokens) > n and is_given(tokens[0]):
        return True
    # Family Given ... (also "Family, Given")
    return tokens[:n] == family_tokens and len(tokens) > n and is_given(tokens[n])


def author_names_person(line: str, names: PersonNames) -> bool:
    """Whether one author line of a publication names this person."""
    cleaned = _clean(line)
    if not cleaned:
        return False
    if _latin_match(cleaned.split(), _clean(names.family), _clean(names.given)):
        return True
    family_ja = _clean(names.family_ja).replace(" ", "")
    given_ja = _clean(names.given_ja).replace(" ", "")
    if family_ja and given_ja:
        compact = cleaned.replace(" ", "")
        return compact in (family_ja + given_ja, given_ja + family_ja)
    return False


def coauthor_lines(authors: str, names: PersonNames) -> list[str]:
    """The lines of ``authors`` (one per line) that name this person."""
    return [line.strip() for line in authors.splitlines() if author_names_person(line, names)]

"""BibTeX and RIS, read and written (small and dependency-free; enough for the fields a
publication record keeps: type, title, authors, year, journal/container, volume, pages, DOI,
URL). Parsing is lenient (unknown fields are ignored); writing is canonical, so writing what was
read and reading it again gives the same :class:`Citation`.

Types: ``article``/``JOUR`` = refereed paper, ``techreport``/``RPRT`` = facility report,
``phdthesis``/``mastersthesis``/``THES`` = thesis, ``inproceedings``/``CONF`` = proceedings,
``patent``/``PAT`` = patent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from akari.outcomes.models import Publication

BIBTEX_TYPES = {
    "article": "refereed",
    "techreport": "facility_report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "inproceedings": "proceedings",
    "conference": "proceedings",
    "proceedings": "proceedings",
    "patent": "patent",
}
BIBTEX_WRITE = {
    "refereed": "article",
    "facility_report": "techreport",
    "thesis": "phdthesis",
    "proceedings": "inproceedings",
    "patent": "patent",
}
CONTAINER_FIELD = {
    "article": "journal",
    "techreport": "institution",
    "phdthesis": "school",
    "inproceedings": "booktitle",
    "patent": "note",
}
RIS_TYPES = {
    "JOUR": "refereed",
    "RPRT": "facility_report",
    "THES": "thesis",
    "CONF": "proceedings",
    "CPAPER": "proceedings",
    "PAT": "patent",
}
RIS_WRITE = {value: key for key, value in RIS_TYPES.items() if key != "CPAPER"}


class BibliographyError(ValueError):
    """The text cannot be read as BibTeX or RIS."""


@dataclass
class Citation:
    kind: str = "refereed"
    title: str = ""
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    container: str = ""
    volume: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    key: str = ""


def _clean(value: str) -> str:
    return " ".join(value.replace("{", "").replace("}", "").split())


# --- BibTeX -----------------------------------------------------------------------------------


def _read_value(text: str, i: int) -> tuple[str, int]:
    """The value starting at ``text[i]`` (``{...}``, ``"..."`` or a bare word) and the index
    after it."""
    if text[i] == "{":
        depth, j = 0, i
        while j < len(text):
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    return text[i + 1 : j], j + 1
            j += 1
        raise BibliographyError("unbalanced braces")
    if text[i] == '"':
        j = text.find('"', i + 1)
        if j < 0:
            raise BibliographyError("unterminated quote")
        return text[i + 1 : j], j + 1
    match = re.compile(r"[^,}\s]+").match(text, i)
    if match is None:
        raise BibliographyError("a value is missing")
    return match.group(0), match.end()


_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]*)\s*,", re.ASCII)
_FIELD = re.compile(r"\s*(\w[\w-]*)\s*=\s*", re.ASCII)


def parse_bibtex(text: str) -> list[Citation]:
    citations = []
    for entry in _ENTRY.finditer(text):
        entry_type = entry.group(1).lower()
        if entry_type in ("comment", "string", "preamble"):
            continue
        fields: dict[str, str] = {}
        i = entry.end()
        while i < len(text):
            while i < len(text) and text[i] in " \t\r\n,":
                i += 1
            if i >= len(text) or text[i] == "}":
                break
            match = _FIELD.match(text, i)
            if match is None:
                raise BibliographyError(f"cannot read the fields of entry {entry.group(2)!r}")
            value, i = _read_value(text, match.end())
            fields[match.group(1).lower()] = value
        citations.append(_from_bibtex(entry_type, entry.group(2), fields))
    if not citations:
        raise BibliographyError("no BibTeX entry found")
    return citations


def _from_bibtex(entry_type: str, key: str, fields: dict[str, str]) -> Citation:
    kind = BIBTEX_TYPES.get(entry_type, "refereed")
    container = ""
    for name in ("journal", "booktitle", "institution", "school", "note"):
        if fields.get(name):
            container = _clean(fields[name])
            break
    year = _clean(fields.get("year", ""))
    authors = [_clean(a) for a in re.split(r"\s+and\s+", fields.get("author", "")) if _clean(a)]
    return Citation(
        kind=kind,
        title=_clean(fields.get("title", "")),
        authors=authors,
        year=int(year) if year.isdigit() else None,
        container=container,
        volume=_clean(fields.get("volume", "")),
        pages=_clean(fields.get("pages", "")).replace("--", "-"),
        doi=_clean(fields.get("doi", "")),
        url=_clean(fields.get("url", "")),
        key=key,
    )


def write_bibtex(citations: Iterable[Citation]) -> str:
    entries = []
    for n, c in enumerate(citations, start=1):
        entry_type = BIBTEX_WRITE.get(c.kind, "misc")
        lines = [f"@{entry_type}{{{c.key or f'akari{n}'},"]
        values = [
            ("author", " and ".join(c.authors)),
            ("title", c.title),
            (CONTAINER_FIELD.get(entry_type, "note"), c.container),
            ("year", str(c.year) if c.year else ""),
            ("volume", c.volume),
            ("pages", c.pages.replace("-", "--")),
            ("doi", c.doi),
            ("url", c.url),
        ]
        lines += [f"  {name} = {{{value}}}," for name, value in values if value]
        lines.append("}")
        entries.append("\n".join(lines))
    return "\n\n".join(entries) + "\n"


# --- RIS --------------------------------------------------------------------------------------

_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def parse_ris(text: str) -> list[Citation]:
    citations: list[Citation] = []
    current: Citation | None = None
    start_page = end_page = ""
    for raw in text.splitlines():
        match = _RIS_LINE.match(raw.rstrip())
        if match is None:
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            current = Citation(kind=RIS_TYPES.get(value, "refereed"))
            start_page = end_page = ""
            continue
        if current is None:
            raise BibliographyError("a RIS record starts with a TY line")
        if tag == "ER":
            current.pages = f"{start_page}-{end_page}" if end_page else start_page
            citations.append(current)
            current = None
        elif tag in ("AU", "A1"):
            current.authors.append(value)
        elif tag in ("TI", "T1"):
            current.title = value
        elif tag in ("T2", "JO", "JF", "BT") and not current.container:
            current.container = value
        elif tag in ("PY", "Y1"):
            year = value[:4]
            current.year = int(year) if year.isdigit() else None
        elif tag == "VL":
            current.volume = value
        elif tag == "SP":
            start_page = value
        elif tag == "EP":
            end_page = value
        elif tag == "DO":
            current.doi = value
        elif tag == "UR":
            current.url = value
        elif tag == "ID":
            current.key = value
    if current is not None:
        raise BibliographyError("a RIS record has no ER line")
    if not citations:
        raise BibliographyError("no RIS record found")
    return citations


def write_ris(citations: Iterable[Citation]) -> str:
    out: list[str] = []
    for c in citations:
        out.append(f"TY  - {RIS_WRITE.get(c.kind, 'GEN')}")
        if c.key:
            out.append(f"ID  - {c.key}")
        out += [f"AU  - {a}" for a in c.authors]
        start, _dash, end = c.pages.partition("-")
        for tag, value in (
            ("TI", c.title),
            ("T2", c.container),
            ("PY", str(c.year) if c.year else ""),
            ("VL", c.volume),
            ("SP", start),
            ("EP", end),
            ("DO", c.doi),
            ("UR", c.url),
        ):
            if value:
                out.append(f"{tag}  - {value}")
        out.append("ER  - ")
    return "\n".join(out) + "\n"


def parse_any(text: str) -> list[Citation]:
    """BibTeX when the text has an ``@entry{``, RIS otherwise."""
    return parse_bibtex(text) if _ENTRY.search(text) else parse_ris(text)


def citation_of(publication: Publication) -> Citation:
    """A :class:`~akari.outcomes.models.Publication` as a citation (authors prefetched)."""
    return Citation(
        kind=publication.kind,
        title=publication.title,
        authors=[a.name for a in publication.authors.all()],
        year=publication.year,
        container=publication.container,
        volume=publication.volume,
        pages=publication.pages,
        doi=publication.doi,
        url=publication.url,
        key=f"akari{publication.pk}",
    )

"""The shape of a facility data file (``data/*.yaml``) and its validation.

A file describes one facility, optionally the policy areas, and its beamlines with their
policy-area mapping and end stations (see ``data/nanoterasu.yaml`` for a commented example).
:func:`read` parses and validates a file completely before anything is written; every problem
is reported as ``FILE: KEY: PROBLEM``, with keys like ``beamlines[BL07U].policy_areas[0].area``.
Reading is pure: the loader (:func:`akari.facility.services.facility_load`) does the writing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any, ClassVar

import yaml
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import models
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic import ValidationError as PydanticValidationError

from akari.facility.models import (
    Beamline,
    BeamlinePolicyArea,
    EndStation,
    Facility,
    PolicyArea,
)

Text = Annotated[str, Field(min_length=1)]
SlugCode = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
ItemCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]


class FacilityFileError(Exception):
    """A facility data file that cannot be loaded; names the file, the key and the problem."""

    def __init__(self, file: str, problems: Sequence[tuple[str, str]]) -> None:
        self.file = file
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{self.file}: {key}: {problem}" for key, problem in self.problems)


class _Row(BaseModel):
    """A row of the file; string lengths are checked against the model's columns."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)
    django_model: ClassVar[type[models.Model]]

    @field_validator("*")
    @classmethod
    def _fits_column(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str) or info.field_name is None:
            return value
        try:
            column = cls.django_model._meta.get_field(info.field_name)
        except FieldDoesNotExist:
            return value
        limit = getattr(column, "max_length", None)
        if limit is not None and len(value) > limit:
            raise ValueError(f"must be at most {limit} characters (it has {len(value)})")
        return value


class FacilityRow(_Row):
    django_model = Facility

    code: SlugCode
    name_ja: Text
    name_en: Text
    location_ja: str = ""
    location_en: str = ""
    description_ja: str = ""
    description_en: str = ""
    website: str = ""

    @field_validator("website")
    @classmethod
    def _url(cls, value: str) -> str:
        if value:
            try:
                URLValidator()(value)
            except DjangoValidationError as exc:
                raise ValueError(f"is not a valid URL: {value!r}") from exc
        return value


class PolicyAreaRow(_Row):
    django_model = PolicyArea

    code: SlugCode
    name_ja: Text
    name_en: Text
    order: int = Field(default=0, ge=0, le=32767)


class PolicyAreaLinkRow(_Row):
    django_model = BeamlinePolicyArea

    area: SlugCode
    applications_ja: Text
    applications_en: Text


class EndStationRow(_Row):
    django_model = EndStation

    code: ItemCode
    name_ja: Text
    name_en: Text
    description_ja: str = ""
    description_en: str = ""


class BeamlineRow(_Row):
    django_model = Beamline

    code: ItemCode
    name_ja: Text
    name_en: Text
    technique_ja: Text
    technique_en: Text
    functions_ja: str = ""
    functions_en: str = ""
    description_ja: str = ""
    description_en: str = ""
    access_scheme: Beamline.AccessScheme
    operator: Text
    status: Beamline.Status = Beamline.Status.OPERATING
    policy_areas: tuple[PolicyAreaLinkRow, ...] = ()
    end_stations: tuple[EndStationRow, ...] = ()


class FacilityFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    facility: FacilityRow
    policy_areas: tuple[PolicyAreaRow, ...] = ()
    beamlines: tuple[BeamlineRow, ...] = ()


def read(path: Path, *, known_policy_areas: Iterable[str] = ()) -> FacilityFile:
    """Parse and validate ``path``; raise :class:`FacilityFileError` listing every problem.

    A beamline may refer to a policy area declared in the same file or already in the database
    (``known_policy_areas``).
    """
    name = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        problem = f"cannot be read: {exc.strerror or exc}"
        raise FacilityFileError(name, [("(file)", problem)]) from exc
    except yaml.YAMLError as exc:
        raise FacilityFileError(name, [("(file)", f"is not valid YAML: {exc}")]) from exc
    if not isinstance(raw, dict):
        raise FacilityFileError(name, [("(top level)", "must be a mapping with a 'facility' key")])
    try:
        data = FacilityFile.model_validate(raw)
    except PydanticValidationError as exc:
        problems = [(_key(raw, err["loc"]), _problem(err)) for err in exc.errors()]
        raise FacilityFileError(name, problems) from exc
    problems = cross_check(data, known_policy_areas=set(known_policy_areas))
    if problems:
        raise FacilityFileError(name, problems)
    return data


def cross_check(data: FacilityFile, *, known_policy_areas: set[str]) -> list[tuple[str, str]]:
    """References and uniqueness across rows, which the row schemas cannot see."""
    problems: list[tuple[str, str]] = []
    problems += _duplicates("policy_areas", [a.code for a in data.policy_areas], "code")
    problems += _duplicates("beamlines", [b.code for b in data.beamlines], "code")
    areas = known_policy_areas | {a.code for a in data.policy_areas}
    for beamline in data.beamlines:
        where = f"beamlines[{beamline.code}]"
        links = [link.area for link in beamline.policy_areas]
        problems += _duplicates(f"{where}.policy_areas", links, "area")
        for i, link in enumerate(beamline.policy_areas):
            if link.area not in areas:
                known = ", ".join(sorted(areas)) or "none"
                problems.append(
                    (
                        f"{where}.policy_areas[{i}].area",
                        f"unknown policy area {link.area!r} (known: {known})",
                    )
                )
        codes = [station.code for station in beamline.end_stations]
        problems += _duplicates(f"{where}.end_stations", codes, "code")
    return problems


def _duplicates(where: str, values: list[str], attribute: str) -> list[tuple[str, str]]:
    counts = Counter(values)
    seen: set[str] = set()
    problems = []
    for i, value in enumerate(values):
        if counts[value] > 1 and value in seen:
            problems.append((f"{where}[{i}].{attribute}", f"duplicate {attribute} {value!r}"))
        seen.add(value)
    return problems


def _key(raw: Any, loc: tuple[int | str, ...]) -> str:
    """``('beamlines', 3, 'technique_en')`` -> ``beamlines[BL07U].technique_en``."""
    parts: list[str] = []
    node = raw
    for step in loc:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            code = item.get("code") if isinstance(item, dict) else None
            index = f"[{code}]" if isinstance(code, str) and code else f"[{step}]"
            if parts:
                parts[-1] += index
            else:
                parts.append(index)
            node = item
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"


def _problem(err: Any) -> str:
    message = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "missing":
        return "is required but missing"
    if err["type"] == "extra_forbidden":
        return "is not a known key (check the spelling)"
    return message

"""Writes for the facility catalogue: loading data files and changing a beamline's status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from akari.core.workflow import transition
from akari.facility import datafile
from akari.facility.models import (
    Beamline,
    BeamlinePolicyArea,
    EndStation,
    Facility,
    PolicyArea,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadSummary:
    """What one :func:`facility_load` did, counted per kind of record."""

    facility: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        bucket: dict[str, int] = getattr(self, outcome)
        bucket[kind] = bucket.get(kind, 0) + 1


def bundled_data_files() -> dict[str, Path]:
    """The data files shipped with Akari, by name (``nanoterasu``, ``spring8``)."""
    return {path.stem: path for path in sorted(DATA_DIR.glob("*.yaml"))}


@transaction.atomic
def facility_load(*, path: Path | str) -> LoadSummary:
    """Create or update a facility, its policy areas, beamlines and end stations from a file.

    Upsert by codes, in one transaction: re-running the same file changes nothing, an edited
    file updates the texts, nothing is ever duplicated. The whole file is validated first
    (:func:`akari.facility.datafile.read`); on any problem nothing is written.

    Choices where the file is silent:

    - A beamline's ``status`` from the file is used only when the beamline is created; after that
      the status is operational state, changed only by :func:`beamline_set_status`.
    - A beamline's policy-area mapping is replaced by the file's (links not in the file are
      removed): the file is the published mapping.
    - Beamlines and end stations missing from the file are left as they are (later records may
      refer to them); retire a beamline with :func:`beamline_set_status` instead.
    """
    path = Path(path)
    known_areas = set(PolicyArea.objects.values_list("code", flat=True))
    data = datafile.read(path, known_policy_areas=known_areas)

    row = data.facility
    facility, outcome = _upsert(Facility, {"code": row.code}, row.model_dump(exclude={"code"}))
    summary = LoadSummary(facility=facility.code)
    summary.count("facility", outcome)

    areas: dict[str, PolicyArea] = {area.code: area for area in PolicyArea.objects.all()}
    for area_row in data.policy_areas:
        area, outcome = _upsert(
            PolicyArea, {"code": area_row.code}, area_row.model_dump(exclude={"code"})
        )
        areas[area.code] = area
        summary.count("policy_area", outcome)

    for beamline_row in data.beamlines:
        values = beamline_row.model_dump(exclude={"code", "status", "policy_areas", "end_stations"})
        beamline, outcome = _upsert(
            Beamline,
            {"facility": facility, "code": beamline_row.code},
            values,
            create_only={"status": str(beamline_row.status)},
        )
        summary.count("beamline", outcome)

        wanted = []
        for link_row in beamline_row.policy_areas:
            area = areas[link_row.area]
            _, outcome = _upsert(
                BeamlinePolicyArea,
                {"beamline": beamline, "policy_area": area},
                link_row.model_dump(exclude={"area"}),
            )
            wanted.append(area.pk)
            summary.count("policy_area_link", outcome)
        removed, _ = beamline.policy_area_links.exclude(policy_area__in=wanted).delete()
        if removed:
            summary.updated["policy_area_link_removed"] = removed

        for station_row in beamline_row.end_stations:
            _, outcome = _upsert(
                EndStation,
                {"beamline": beamline, "code": station_row.code},
                station_row.model_dump(exclude={"code"}),
            )
            summary.count("end_station", outcome)
    return summary


def _upsert[M: models.Model](
    model: type[M],
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    create_only: Mapping[str, Any] | None = None,
) -> tuple[M, str]:
    """Get-or-create by ``lookup`` (row locked); save only the fields whose value changed."""
    obj = model._default_manager.select_for_update().filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(create_only or {}))
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        return obj, "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save(update_fields=changed)
    return obj, "updated"


def beamline_set_status(
    *,
    beamline: Beamline,
    status: Beamline.Status | str,
    actor: Any | None,
    reason: str,
) -> Beamline:
    """Move a beamline to ``status`` (in operation, temporarily closed, retired).

    Checks ``Beamline.TRANSITIONS`` and writes a status event with the actor and reason through
    :func:`akari.core.workflow.transition`; an illegal move raises ``IllegalTransition`` and
    changes nothing.
    """
    with transaction.atomic():
        return transition(beamline, str(status), actor=actor, reason=reason)

"""Writes of the policies app: loading a policy pack.

Loading is all or nothing: the file is read and validated (including its references to the
facility catalogue) before anything is written, and the writes run in one transaction with the
programme row locked, so two loaders cannot interleave.

Version rules:
- the same version with the same content (same canonical document) is a no-op;
- the same version with different content is refused: bump ``version`` instead;
- a new version is stored beside the old ones and is in force from its ``effective_from``
  (see :func:`akari.policies.selectors.policy_in_force`); two versions of one programme may not
  take effect on the same day.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from akari.core import clock
from akari.facility.models import Beamline, Facility
from akari.policies import reader
from akari.policies.models import AccessRoute, FeeRule, PolicyVersion, Programme
from akari.policies.reader import PackError
from akari.policies.schema import Pack, Problem


class LoadOutcome(enum.StrEnum):
    CREATED = "created"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class LoadResult:
    version: PolicyVersion
    outcome: LoadOutcome

    @property
    def created(self) -> bool:
        return self.outcome is LoadOutcome.CREATED


def _catalogue() -> dict[str, set[str]]:
    """Facility code -> its beamline codes (what a pack may refer to)."""
    facilities: dict[str, set[str]] = {
        code: set() for code in Facility.objects.values_list("code", flat=True)
    }
    for facility_code, code in Beamline.objects.values_list("facility__code", "code"):
        facilities[facility_code].add(code)
    return facilities


def policy_load(*, path: str | Path, actor: Any = None) -> LoadResult:
    """Load the pack at ``path`` (a file path or a shipped pack name such as ``spring8``).

    Raises :class:`~akari.policies.reader.PackError` and writes nothing if the pack is broken,
    refers to unknown facility data, or changes an already loaded version.
    """
    source = reader.resolve(path)
    pack, sha256 = reader.read(source, facilities=_catalogue())
    with transaction.atomic():
        return _store(pack=pack, sha256=sha256, source=source, actor=actor)


def _store(*, pack: Pack, sha256: str, source: Path, actor: Any) -> LoadResult:
    facility = Facility.objects.get(code=pack.facility)
    programme, _created = Programme.objects.select_for_update().get_or_create(
        code=pack.pack,
        defaults={
            "facility": facility,
            "name_ja": pack.programme.ja,
            "name_en": pack.programme.en,
            "operator_ja": pack.operator.ja,
            "operator_en": pack.operator.en,
            "order": pack.order,
        },
    )
    if programme.facility_id != facility.pk:
        raise PackError(
            str(source),
            [Problem("facility", f'programme "{programme.code}" belongs to another facility')],
        )
    existing = programme.versions.filter(version=pack.version).first()
    if existing is not None:
        if existing.sha256 == sha256 or reader.same_content(existing.document, pack):
            return LoadResult(existing, LoadOutcome.UNCHANGED)
        raise PackError(
            str(source),
            [
                Problem(
                    "version",
                    f'version "{pack.version}" of "{pack.pack}" is already loaded with different '
                    "content; loaded versions never change: bump version (and set "
                    "effective_from) to publish the change",
                )
            ],
        )
    clash = programme.versions.filter(effective_from=pack.effective_from).first()
    if clash is not None:
        raise PackError(
            str(source),
            [
                Problem(
                    "effective_from",
                    f"version {clash.version} already takes effect on {pack.effective_from}; "
                    "choose another date",
                )
            ],
        )
    version = PolicyVersion.objects.create(
        programme=programme,
        version=pack.version,
        effective_from=pack.effective_from,
        effective_until=pack.effective_until,
        document=reader.document(pack),
        source_file=source.name,
        sha256=sha256,
        loaded_at=clock.now(),
        loaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    routes = AccessRoute.objects.bulk_create(
        [
            AccessRoute(
                policy_version=version,
                code=route.code,
                name_ja=route.name.ja,
                name_en=route.name.en,
                result_ownership=route.result_ownership,
                review_path=route.review,
                application=route.application,
                lead_time_days=route.lead_time_days,
                supervisor_required=route.supervisor_required,
                eligibility_ja=route.eligibility.ja,
                eligibility_en=route.eligibility.en,
                description_ja=route.description.ja if route.description else "",
                description_en=route.description.en if route.description else "",
                fee_codes=list(route.fees),
                order=i,
            )
            for i, route in enumerate(pack.routes)
        ]
    )
    route_by_code = {route.code: route for route in routes}
    fee_rows: list[FeeRule] = []
    for fee in pack.fees:
        common = {
            "policy_version": version,
            "code": fee.code,
            "route": route_by_code[fee.route] if fee.route else None,
            "label_ja": fee.label.ja,
            "label_en": fee.label.en,
            "unit": fee.unit,
            "tax_included": fee.tax_included,
            "provisional": fee.provisional,
            "notes_ja": fee.notes.ja if fee.notes else "",
            "notes_en": fee.notes.en if fee.notes else "",
            "order": len(fee_rows),
        }
        if fee.by_joining_year:
            fee_rows += [
                FeeRule(**common, amount=rate.amount, joining_fiscal_year=rate.joining_fiscal_year)
                for rate in fee.by_joining_year
            ]
        else:
            fee_rows.append(FeeRule(**common, amount=fee.amount))
    FeeRule.objects.bulk_create(fee_rows)
    _sync_programme(programme)
    return LoadResult(version, LoadOutcome.CREATED)


def _sync_programme(programme: Programme) -> None:
    """Name, operator, order and beamlines follow the version in force today (or, when none is,
    the next one to come, else the last one that was)."""
    today = clock.today()
    versions = list(programme.versions.order_by("effective_from"))
    current = [
        v for v in versions if v.effective_from <= today and (v.effective_until or today) >= today
    ]
    upcoming = [v for v in versions if v.effective_from > today]
    chosen = current[-1] if current else (upcoming[0] if upcoming else versions[-1])
    pack = chosen.pack
    programme.name_ja, programme.name_en = pack.programme.ja, pack.programme.en
    programme.operator_ja, programme.operator_en = pack.operator.ja, pack.operator.en
    programme.order = pack.order
    programme.save(update_fields=["name_ja", "name_en", "operator_ja", "operator_en", "order"])
    programme.beamlines.set(
        Beamline.objects.filter(facility=programme.facility, code__in=pack.beamline_codes)
    )

"""Reads for the public beamline catalogue (web pages and API share these)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Prefetch, Q, QuerySet

from akari.core.i18n import localized
from akari.facility.models import Beamline, BeamlinePolicyArea, Facility, PolicyArea


@dataclass(frozen=True)
class BeamlineFilters:
    """The catalogue's filters, as codes; an empty string means "any"."""

    facility: str = ""
    technique: str = ""
    policy_area: str = ""
    programme: str = ""
    access_scheme: str = ""


@dataclass(frozen=True)
class CatalogueOptions:
    """The values each filter can take, as ``(code, label)`` pairs in the active language."""

    facilities: list[tuple[str, str]]
    policy_areas: list[tuple[str, str]]
    programmes: list[tuple[str, str]]


def _programme_model() -> type[Model]:
    """The model behind ``Beamline.programmes``: the policies app's ``Programme``.

    Reached through the reverse relation so that ``facility`` never imports ``policies``
    (dependencies point one way: facility <- policies).
    """
    related = Beamline._meta.get_field("programmes").related_model
    assert isinstance(related, type)
    return related


def catalogue_options() -> CatalogueOptions:
    """Choices for the filter form: three queries, whatever the size of the catalogue."""
    return CatalogueOptions(
        facilities=[(f.code, localized(f, "name")) for f in Facility.objects.order_by("code")],
        policy_areas=[(a.code, localized(a, "name")) for a in PolicyArea.objects.all()],
        programmes=_programme_options(),
    )


def _programme_options() -> list[tuple[str, str]]:
    """Every loaded programme, in its own order (a programme without beamlines yet still
    filters: to an empty list, not an error)."""
    programmes = _programme_model()._default_manager.all()
    return [(p.code, localized(p, "name")) for p in programmes]  # type: ignore[attr-defined]


def _with_related(queryset: QuerySet[Beamline]) -> QuerySet[Beamline]:
    return queryset.select_related("facility").prefetch_related(
        Prefetch(
            "policy_area_links",
            queryset=BeamlinePolicyArea.objects.select_related("policy_area"),
        ),
        Prefetch("programmes", queryset=_programme_model()._default_manager.all()),
    )


def beamline_list(*, filters: BeamlineFilters | None = None) -> QuerySet[Beamline]:
    """Beamlines by facility and code, narrowed by ``filters``; a constant number of queries."""
    filters = filters or BeamlineFilters()
    queryset = Beamline.objects.all()
    if filters.facility:
        queryset = queryset.filter(facility__code=filters.facility)
    if filters.access_scheme:
        queryset = queryset.filter(access_scheme=filters.access_scheme)
    if filters.technique:
        text = filters.technique
        queryset = queryset.filter(
            Q(code__icontains=text)
            | Q(technique_ja__icontains=text)
            | Q(technique_en__icontains=text)
            | Q(name_ja__icontains=text)
            | Q(name_en__icontains=text)
            | Q(functions_ja__icontains=text)
            | Q(functions_en__icontains=text)
        )
    if filters.policy_area:
        queryset = queryset.filter(policy_areas__code=filters.policy_area)
    if filters.programme:
        queryset = queryset.filter(programmes__code=filters.programme)
    return _with_related(queryset).order_by("facility__code", "code")


def beamline_detail(*, facility_code: str, code: str) -> Beamline:
    """One beamline with everything its page shows; raises ``Beamline.DoesNotExist``."""
    return (
        _with_related(Beamline.objects.all())
        .prefetch_related("end_stations")
        .get(facility__code=facility_code, code=code)
    )

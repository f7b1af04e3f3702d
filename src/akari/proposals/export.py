"""CSV and Excel exports of a call's proposals (for the user office)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import astuple, dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from akari.core.i18n import localized
from akari.proposals.models import Proposal
from akari.proposals.selectors import organisation_name, principal_investigator


@dataclass(frozen=True)
class Row:
    number: str
    title: str
    route: str
    pi: str
    organisation: str
    field: str
    beamlines: str
    units_requested: int
    units_awarded: int | None
    status: str


def headers() -> list[str]:
    return [
        _("Proposal number"),
        _("Title"),
        _("Access route"),
        _("Principal investigator"),
        _("Organisation"),
        _("Research field"),
        _("Beamlines"),
        _("Beamtime requested"),
        _("Beamtime awarded"),
        _("Status"),
    ]


def proposal_rows(proposals: Iterable[Proposal]) -> list[Row]:
    """One row per proposal, from a queryset of :func:`selectors.call_proposals` (no further
    queries: team, affiliations and requests are prefetched)."""
    rows = []
    for proposal in proposals:
        pi = principal_investigator(proposal)
        requests = list(proposal.beamline_requests.all())
        awarded = [r.units_awarded for r in requests if r.units_awarded is not None]
        rows.append(
            Row(
                number=proposal.number or "",
                title=proposal.title,
                route=localized(proposal.route, "name"),
                pi=str(pi.person) if pi else "",
                organisation=organisation_name(pi),
                field=str(proposal.field) if proposal.field else "",
                beamlines=" ".join(f"{r.beamline.code}:{r.units_requested}" for r in requests),
                units_requested=sum(r.units_requested for r in requests),
                units_awarded=sum(awarded) if awarded else None,
                status=str(proposal.get_status_display()),
            )
        )
    return rows


def as_csv(rows: Iterable[Row]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Japanese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows:
        writer.writerow(["" if v is None else v for v in astuple(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(rows: Iterable[Row], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31] or "proposals"
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(astuple(row)))
    widths = [12, 50, 24, 22, 30, 24, 24, 12, 12, 18]
    for column, width in zip(sheet.columns, widths, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""The ranking of a call as CSV or Excel (staff): one row per proposal and beamline, in
committee order, with scores, the proposed allocation and the decision.

Proprietary proposals are listed without their title (as in the committee table). The CSV is
UTF-8 with a byte-order mark, so spreadsheet programs open the Japanese text correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from akari.core.i18n import localized
from akari.proposals.models import Call
from akari.selection import selectors
from akari.selection.selectors import CommitteeRow
from akari.selection.text import ACTIONS, REASONS

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def headers() -> list[str]:
    return [
        _("Beamline"),
        _("Rank"),
        _("Proposal"),
        _("Title"),
        _("Access route"),
        _("Principal investigator"),
        _("Group"),
        _("Requested"),
        _("Technical review"),
        _("Reviews"),
        _("Mean score"),
        _("Normalised score"),
        _("Review rank"),
        _("Proposed"),
        _("Proposed beamtime"),
        _("Why"),
        _("Running total"),
        _("Status"),
        _("Awarded"),
    ]


def _title(row: CommitteeRow) -> str:
    return _("(proprietary proposal)") if row.confidential else row.proposal.title


def _number(value: Any) -> Any:
    return "" if value is None else value


def rows(call: Call) -> Iterator[list[Any]]:
    for offered in selectors.offered_beamlines(call):
        table = selectors.committee_table(call, offered)
        for row in table.rows:
            yield [
                offered.beamline.code,
                row.rank,
                row.proposal.number or "",
                _title(row),
                localized(row.route, "name"),
                row.group.pi.display_name if row.group.pi is not None else "",
                row.group.label,
                row.request.units_requested,
                row.technical_verdict or "",
                row.n_reviews,
                _number(row.mean_raw),
                _number(row.mean_normalised),
                _number(row.review_rank),
                str(ACTIONS[row.suggestion.action]),
                row.suggestion.units,
                str(REASONS[row.suggestion.reason]),
                row.suggestion.running_total,
                row.proposal.get_status_display(),
                row.awarded,
            ]


def csv_bytes(call: Call) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for line in rows(call):
        writer.writerow([str(value) if not isinstance(value, int) else value for value in line])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(call: Call) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Ranking")[:31]
    sheet.append(headers())
    for line in rows(call):
        sheet.append([v if isinstance(v, int | float | str) else str(v) for v in line])
    sheet.freeze_panes = "A2"
    for index, title in enumerate(headers(), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(title) + 4)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def response(call: Call, fmt: str) -> HttpResponse:
    content = csv_bytes(call) if fmt == "csv" else xlsx_bytes(call)
    reply = HttpResponse(content, content_type=FORMATS[fmt])
    reply["Content-Disposition"] = f'attachment; filename="ranking-{call.code}.{fmt}"'
    return reply

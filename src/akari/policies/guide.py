"""The programme guide: the seed's comparison table, generated from the policies in force.

Each row is one question a user asks (who may apply, what it costs, how to apply, ...); each cell
is built from the programme's policy: generated sentences for the values the pack holds as data
(calls a year, review timeline, deadlines, booking rounds ...) followed by the pack's guide texts.
Access routes and fees are rendered from their rows by the template (fees with the ``yen``
filter). Pure presentation: no queries beyond what :func:`selectors.policies_in_force` fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from akari.core.i18n import current_language, localized
from akari.policies.models import AccessRoute, FeeRule, PolicyVersion
from akari.policies.schema import Bullets, Pack, Text


@dataclass
class Cell:
    version: PolicyVersion
    lines: list[str] = field(default_factory=list)


@dataclass
class Row:
    key: str
    label: str | Promise
    cells: list[Cell]


ROWS: list[tuple[str, Promise]] = [
    ("eligibility", gettext_lazy("Eligibility")),
    ("consultation", gettext_lazy("Consultation")),
    ("routes", gettext_lazy("Access routes")),
    ("fees", gettext_lazy("Fees")),
    ("beamtime", gettext_lazy("Beamtime and requests")),
    ("how_to_apply", gettext_lazy("How to apply")),
    ("review", gettext_lazy("Review")),
    ("support", gettext_lazy("Support during the experiment")),
    ("data_analysis", gettext_lazy("Data analysis")),
    ("obligations", gettext_lazy("Obligations after the experiment")),
    ("payment", gettext_lazy("Payment")),
    ("beamlines", gettext_lazy("Beamlines")),
    ("information", gettext_lazy("Information for users")),
    ("revision", gettext_lazy("Planned revisions")),
]


def number(value: Decimal | int) -> str:
    """5 -> "5", Decimal("1.5") -> "1.5"."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def tr(text: Text) -> str:
    """A pack's bilingual text in the active language."""
    return text.ja if current_language() == "ja" else text.en


def bullets(texts: Bullets) -> list[str]:
    return list(texts.ja if current_language() == "ja" else texts.en)


def rows(versions: list[PolicyVersion]) -> list[Row]:
    """The guide's rows, one cell per programme (in the order of ``versions``)."""
    built = []
    for key, label in ROWS:
        builder = _BUILDERS[key]
        built.append(Row(key, label, [Cell(v, builder(v.pack, v)) for v in versions]))
    return built


def _route_names(routes: list[AccessRoute]) -> str:
    return _(", ").join(localized(r, "name") for r in routes)


def eligibility(pack: Pack, version: PolicyVersion) -> list[str]:
    lines = bullets(pack.guide.eligibility)
    for member_class in pack.member_classes:
        name = tr(member_class.name)
        if member_class.by_special_contract:
            lines.append(_("Member class %(name)s: by special contract") % {"name": name})
        elif member_class.min_units:
            lines.append(
                ngettext(
                    "Member class %(name)s: %(n)s unit or more",
                    "Member class %(name)s: %(n)s units or more",
                    member_class.min_units,
                )
                % {"name": name, "n": member_class.min_units}
            )
    return lines


def beamtime(pack: Pack, version: PolicyVersion) -> list[str]:
    lines = []
    unit = pack.time_unit
    if unit.kind == "shift":
        starts = ", ".join(t.strftime("%H:%M") for t in unit.shift_starts)
        lines.append(
            _("1 shift = %(hours)s hours (shifts start at %(starts)s)")
            % {"hours": unit.hours, "starts": starts}
        )
    else:
        lines.append(_("Beamtime is booked by the hour"))
    requests = pack.requests
    if requests.min_units > 1 or requests.unit_multiple > 1:
        if unit.kind == "shift":
            text = _("Requests of %(min)s shifts or more, in units of %(multiple)s shifts")
        else:
            text = _("Requests of %(min)s hours or more, in units of %(multiple)s hours")
        lines.append(text % {"min": requests.min_units, "multiple": requests.unit_multiple})
    if requests.min_experimenters > 1:
        lines.append(
            ngettext(
                "At least %(n)s experimenter per team",
                "At least %(n)s experimenters per team",
                requests.min_experimenters,
            )
            % {"n": requests.min_experimenters}
        )
    if not requests.students_may_lead:
        lines.append(_("Students take part only as co-experimenters"))
    for route in pack.routes:
        if route.supervisor_required:
            lines.append(
                _("%(route)s: the supervisor must be on the team") % {"route": tr(route.name)}
            )
    caps = pack.caps
    if caps.priority_and_proprietary_max_percent:
        lines.append(
            _("Priority and proprietary use: at most %(percent)s%% of a beamline's user time")
            % {"percent": caps.priority_and_proprietary_max_percent}
        )
    if caps.single_group_max_percent:
        lines.append(
            _("One group: at most %(percent)s%% of a beamline's user time")
            % {"percent": caps.single_group_max_percent}
        )
    if pack.entitlement:
        lines.append(
            _("One unit: about %(hours)s hours a fiscal year for %(years)s years")
            % {
                "hours": pack.entitlement.hours_per_unit_per_fiscal_year,
                "years": pack.entitlement.contract_years,
            }
        )
    return lines


def _before(months: int, days: int) -> str:
    if months:
        return ngettext("%(n)s month", "%(n)s months", months) % {"n": months}
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


def how_to_apply(pack: Pack, version: PolicyVersion) -> list[str]:
    lines = []
    if pack.calls is not None:
        if pack.calls.per_year:
            lines.append(
                ngettext("%(n)s call a year", "%(n)s calls a year", pack.calls.per_year)
                % {"n": pack.calls.per_year}
            )
        if pack.calls.anytime is not None:
            lines.append(
                ngettext(
                    "Anytime requests in %(n)s-hour units",
                    "Anytime requests in %(n)s-hour units",
                    pack.calls.anytime.unit_hours,
                )
                % {"n": pack.calls.anytime.unit_hours}
            )
        if pack.calls.online:
            lines.append(_("Applications are made online"))
    for route in pack.routes:
        if route.lead_time_days is not None:
            lines.append(
                _("%(route)s: any time, at least %(days)s days before the beamtime")
                % {"route": tr(route.name), "days": route.lead_time_days}
            )
    if pack.booking is not None:
        lines.append(_("Applications every month"))
        classes = {c.code: tr(c.name) for c in pack.member_classes}
        for booking_round in pack.booking.rounds:
            if booking_round.member_classes == "all":
                who = _("all members")
            else:
                who = _(", ").join(classes[c] for c in booking_round.member_classes)
            line = _("%(round)s: %(who)s, until %(when)s before use") % {
                "round": tr(booking_round.name),
                "who": who,
                "when": _before(
                    booking_round.closes_before.months, booking_round.closes_before.days
                ),
            }
            if booking_round.priority:
                line += _(" (priority)")
            lines.append(line)
    return lines + bullets(pack.guide.how_to_apply)


def review(pack: Pack, version: PolicyVersion) -> list[str]:
    lines = []
    timeline = pack.review
    if timeline is not None:
        months = number(timeline.months_before_period)
        if timeline.selection_committee:
            text = _(
                "Proposals are reviewed %(months)s months before the period starts; the "
                "selection committee then decides"
            )
        else:
            text = _("Proposals are reviewed %(months)s months before the period starts")
        lines.append(text % {"months": months})
        lines.append(
            _("Applicants are notified %(months)s months before the period starts")
            % {"months": number(timeline.notification_months_before)}
        )
        if timeline.waitlist:
            lines.append(_("Rejected proposals wait on a list to fill cancelled beamtime"))
    routes = list(version.routes.all())
    for path, label in AccessRoute.ReviewPath.choices:
        matching = [r for r in routes if r.review_path == path]
        if matching:
            lines.append(
                _("%(review)s: %(routes)s") % {"review": label, "routes": _route_names(matching)}
            )
    return lines + bullets(pack.guide.review)


def obligations(pack: Pack, version: PolicyVersion) -> list[str]:
    lines = []
    duties = pack.obligations
    if duties.experiment_report_months:
        lines.append(
            ngettext(
                "Experiment report within %(n)s month of the experiment",
                "Experiment report within %(n)s months of the experiment",
                duties.experiment_report_months,
            )
            % {"n": duties.experiment_report_months}
        )
    if duties.paper is not None:
        text = ngettext(
            "Paper published within %(n)s month of the experiment",
            "Paper published within %(n)s months of the experiment",
            duties.paper.months_after,
        ) % {"n": duties.paper.months_after}
        if duties.paper.extension_possible:
            text += _(" (extension possible)")
        lines.append(text)
        if duties.paper.overdue_bars_new_proposals:
            lines.append(
                _("Missing the publication deadline bars new proposals, even as a team member")
            )
    if duties.switch_to_proprietary_days:
        lines.append(
            _("A non-proprietary proposal may switch to proprietary within %(n)s days")
            % {"n": duties.switch_to_proprietary_days}
        )
    return lines + bullets(pack.guide.obligations)


def payment(pack: Pack, version: PolicyVersion) -> list[str]:
    lines = []
    if pack.payment.invoiced == "after_report":
        lines.append(_("Fees are fixed from the beamtime report after the experiment"))
    else:
        lines.append(_("Invoiced after use"))
    lines.append(
        ngettext(
            "Payment within %(n)s month of receiving the invoice",
            "Payment within %(n)s months of receiving the invoice",
            pack.payment.months_after_invoice,
        )
        % {"n": pack.payment.months_after_invoice}
    )
    if pack.downtime_refund is not None:
        lines.append(
            _(
                "Beamtime lost through the facility's fault is refunded by the hour; losses "
                "under %(n)s minutes are not counted"
            )
            % {"n": pack.downtime_refund.ignore_under_minutes}
        )
    return lines + bullets(pack.guide.payment)


def fees(pack: Pack, version: PolicyVersion) -> list[str]:
    """Lines shown after the fee rows (which the template renders)."""
    return [_("Consumption tax: %(rate)s%%") % {"rate": tax_percent(version)}]


def beamlines(pack: Pack, version: PolicyVersion) -> list[str]:
    whole = [b.code for b in pack.beamlines if b.share == "all"]
    part = [b.code for b in pack.beamlines if b.share == "part"]
    lines = []
    if whole:
        lines.append(", ".join(whole))
    if part:
        lines.append(_("Part of the time of %(codes)s") % {"codes": ", ".join(part)})
    return lines


Builder = Callable[[Pack, PolicyVersion], list[str]]


def _texts(name: str) -> Builder:
    def build(pack: Pack, version: PolicyVersion) -> list[str]:
        return bullets(getattr(pack.guide, name))

    return build


def _nothing(pack: Pack, version: PolicyVersion) -> list[str]:
    return []


_BUILDERS: dict[str, Builder] = {
    "eligibility": eligibility,
    "consultation": _texts("consultation"),
    "routes": _nothing,
    "fees": fees,
    "beamtime": beamtime,
    "how_to_apply": how_to_apply,
    "review": review,
    "support": _texts("support"),
    "data_analysis": _texts("data_analysis"),
    "obligations": obligations,
    "payment": payment,
    "beamlines": beamlines,
    "information": _texts("information"),
    "revision": _texts("revision"),
}


def fee_table(version: PolicyVersion) -> list[tuple[FeeRule, list[AccessRoute]]]:
    """Each fee rule with the routes it applies to (empty: programme-wide, e.g. joining fee)."""
    routes = list(version.routes.all())
    return [(fee, [r for r in routes if fee.code in r.fee_codes]) for fee in version.fees.all()]


def tax_percent(version: PolicyVersion) -> str:
    return number(version.pack.tax.rate * 100)

"""Translated wording shared by services, views and templates: units and cap breaches."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from akari.selection.allocation import Action, Breach, Limits, Reason

REASONS = {
    Reason.FITS: gettext_lazy("the request fits"),
    Reason.AVAILABILITY: gettext_lazy("not enough beamtime left"),
    Reason.CAPPED_SHARE: gettext_lazy("priority and proprietary cap"),
    Reason.GROUP_SHARE: gettext_lazy("single-group cap"),
    Reason.NOT_FEASIBLE: gettext_lazy("technically not feasible"),
    Reason.DECIDED: gettext_lazy("decision recorded"),
}

ACTIONS = {
    Action.AWARD: gettext_lazy("Award"),
    Action.WAITLIST: gettext_lazy("Waitlist"),
    Action.REJECT: gettext_lazy("Reject"),
}


def units(count: int, kind: str) -> str:
    """``"3 shifts"`` / ``"1 hour"`` in the active language."""
    if kind == "hour":
        return ngettext("%(count)s hour", "%(count)s hours", count) % {"count": count}
    return ngettext("%(count)s shift", "%(count)s shifts", count) % {"count": count}


def breach_message(
    breach: Breach,
    *,
    beamline: str,
    units_asked: int,
    requested: int,
    limits: Limits,
    used: int,
    kind: str,
    capped_percent: int | None = None,
    group_percent: int | None = None,
    group: str = "",
) -> str:
    """Why the committee may not award ``units_asked`` on ``beamline`` (names the cap)."""
    values = {
        "beamline": beamline,
        "asked": units(units_asked, kind),
        "requested": units(requested, kind),
        "used": units(used, kind),
        "available": units(limits.available, kind),
        "capped_max": units(limits.capped_max or 0, kind),
        "group_max": units(limits.group_max or 0, kind),
        "capped_percent": capped_percent,
        "group_percent": group_percent,
        "group": group,
        "min": units(limits.min_units, kind),
        "multiple": units(limits.unit_multiple, kind),
    }
    messages = {
        Breach.NOT_POSITIVE: _(
            "%(beamline)s: an accepted proposal is awarded at least some beamtime."
        ),
        Breach.EXCEEDS_REQUEST: _(
            "%(beamline)s: %(asked)s is more than the %(requested)s the proposal asked for."
        ),
        Breach.GRANULARITY: _(
            "%(beamline)s: a partial award must be at least %(min)s and a multiple of "
            "%(multiple)s (or the whole request)."
        ),
        Breach.AVAILABILITY: _(
            "%(beamline)s: awarding %(asked)s would exceed the %(available)s available in this "
            "call (%(used)s already awarded)."
        ),
        Breach.CAPPED_SHARE: _(
            "%(beamline)s: awarding %(asked)s would break the priority and proprietary cap: "
            "these routes may have at most %(capped_percent)s%% of the beamtime (%(capped_max)s), "
            "and %(used)s are already awarded."
        ),
        Breach.GROUP_SHARE: _(
            "%(beamline)s: awarding %(asked)s would break the single-group cap: one group may "
            "have at most %(group_percent)s%% of the beamtime (%(group_max)s), and %(group)s "
            "already has %(used)s."
        ),
    }
    return messages[breach] % values


VERDICTS = {
    "feasible": gettext_lazy("Feasible"),
    "feasible_with_conditions": gettext_lazy("Feasible with conditions"),
    "not_feasible": gettext_lazy("Not feasible"),
}


def verdict_label(verdict: str | None) -> str:
    """The technical review's verdict in words ("—" while there is none)."""
    if not verdict:
        return "—"
    return str(VERDICTS.get(verdict, verdict))

"""The submission rules: completeness and eligibility of a proposal, read from the policy.

Pure reads over a proposal fetched with its call, route, team and beamline requests (see
:func:`akari.proposals.selectors.proposal_for_submission`): every function returns translated
messages, one per problem, so the applicant sees EVERY problem at once.

Where the policy comes from (never constants here):

- request granularity: ``requests.min_units`` and ``requests.unit_multiple`` in the programme's
  time unit for calls (NanoTerasu: 3 shifts or more, in multiples of 3); anytime requests count
  hours in multiples of ``calls.anytime.unit_hours`` (SPring-8: 1-hour units);
- team: ``requests.min_experimenters``; ``requests.students_may_lead``; a route's
  ``supervisor_required`` (graduate-student proposals: the PI is a doctoral student, i.e. a
  person whose career stage is "student", and a team member other than the PI is flagged as
  the supervisor);
- lead time: a route's ``lead_time_days`` (urgent proposals: the earliest start date is at least
  21 days after submission);
- sanctions: ``obligations.paper.overdue_bars_new_proposals`` with
  :func:`blocking_obligations` (nobody of the team may have an overdue paper).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akari.accounts.models import CareerStage
from akari.core import clock
from akari.policies.schema import Pack
from akari.proposals.models import Call, Proposal, TeamMember


@dataclass(frozen=True)
class UnitRule:
    """How much beamtime one beamline request may ask for."""

    unit: str  # "shift" or "hour"
    minimum: int
    multiple: int

    def label(self, count: int) -> str:
        if self.unit == "hour":
            return ngettext("hour", "hours", count)
        return ngettext("shift", "shifts", count)

    def describe(self) -> str:
        if self.multiple > 1:
            return _("%(minimum)d %(unit)s or more, in multiples of %(multiple)d") % {
                "minimum": self.minimum,
                "unit": self.label(self.minimum),
                "multiple": self.multiple,
            }
        return _("%(minimum)d %(unit)s or more") % {
            "minimum": self.minimum,
            "unit": self.label(self.minimum),
        }

    def allows(self, units: int) -> bool:
        return units >= self.minimum and units % self.multiple == 0


def unit_rule(call: Call) -> UnitRule:
    """The granularity of requests in ``call`` (from its policy version)."""
    pack: Pack = call.policy_version.pack
    if call.kind == Call.Kind.ANYTIME and pack.calls is not None and pack.calls.anytime:
        hours = pack.calls.anytime.unit_hours
        return UnitRule("hour", hours, hours)
    return UnitRule(pack.time_unit.kind, pack.requests.min_units, pack.requests.unit_multiple)


def units_problem(call: Call, beamline_code: str, units: int) -> str | None:
    rule = unit_rule(call)
    if rule.allows(units):
        return None
    return _("%(beamline)s: request %(rule)s (you asked for %(units)d %(unit)s).") % {
        "beamline": beamline_code,
        "rule": rule.describe(),
        "units": units,
        "unit": rule.label(units),
    }


# Functions that list a person's blocking obligations (one message each). Later apps (outcomes)
# register theirs in their AppConfig.ready(), so this app never imports them.
OBLIGATION_BLOCKERS: list[Callable[[Any], list[str]]] = []


def register_obligation_blocker(blocker: Callable[[Any], list[str]]) -> None:
    """Add ``blocker`` (idempotent: registering the same function twice keeps one)."""
    if blocker not in OBLIGATION_BLOCKERS:
        OBLIGATION_BLOCKERS.append(blocker)


def blocking_obligations(person: Any) -> list[str]:
    """Overdue obligations that bar ``person`` from new proposals (one message each).

    SPring-8 bars anyone whose paper is overdue from new proposals, even as a team member
    (``obligations.paper.overdue_bars_new_proposals``). The messages come from the functions
    registered with :func:`register_obligation_blocker` (the outcomes app's overdue papers);
    with none registered nobody is barred.
    """
    return [message for blocker in OBLIGATION_BLOCKERS for message in blocker(person)]


def _date(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return formats.date_format(value.astimezone(clock.TOKYO), "DATETIME_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def window_problems(call: Call, *, now: dt.datetime) -> list[str]:
    """Whether ``call`` accepts submissions at ``now``."""
    if call.status != Call.Status.OPEN:
        return [_("This call is not open for submissions.")]
    if now < call.opens_at:
        return [
            _("Submissions to this call open on %(date)s; come back then.")
            % {"date": _date(call.opens_at)}
        ]
    if call.closes_at is not None and now >= call.closes_at:
        return [
            _("The submission deadline (%(deadline)s) has passed.")
            % {"deadline": _date(call.closes_at)}
        ]
    return []


def _content_problems(proposal: Proposal) -> list[str]:
    problems = []
    if not proposal.title.strip():
        problems.append(_("Give the proposal a title."))
    if not proposal.abstract.strip():
        problems.append(_("Write an abstract."))
    if not proposal.purpose.strip():
        problems.append(_("Describe the purpose and expected results."))
    if proposal.field_id is None:
        problems.append(_("Choose a research field."))
    if not proposal.samples.strip():
        problems.append(_("Describe the samples."))
    return problems


def _request_problems(proposal: Proposal, offered: set[int]) -> list[str]:
    requests = list(proposal.beamline_requests.all())
    if not requests:
        return [_("Request beamtime on at least one beamline.")]
    problems = []
    for request in requests:
        code = request.beamline.code
        if request.beamline_id not in offered:
            problems.append(_("%(beamline)s is not offered in this call.") % {"beamline": code})
        if request.end_station is not None and request.end_station.beamline_id != (
            request.beamline_id
        ):
            problems.append(
                _("%(beamline)s: the end station belongs to another beamline.") % {"beamline": code}
            )
        message = units_problem(proposal.call, code, request.units_requested)
        if message:
            problems.append(message)
    return problems


def _team_problems(proposal: Proposal, pack: Pack) -> list[str]:
    team: list[TeamMember] = list(proposal.team.all())
    problems = []
    pi = next((m for m in team if m.role == TeamMember.Role.PI), None)
    if pi is None:
        problems.append(_("Name a principal investigator."))
    experimenters = sum(1 for m in team if m.is_experimenter)
    needed = pack.requests.min_experimenters
    if experimenters < needed:
        problems.append(
            ngettext(
                "At least %(needed)d experimenter must take part (the team has %(have)d).",
                "At least %(needed)d experimenters must take part (the team has %(have)d).",
                needed,
            )
            % {"needed": needed, "have": experimenters}
        )
    pi_is_student = pi is not None and pi.person.career_stage == CareerStage.STUDENT
    if proposal.route.supervisor_required:
        if pi is not None and not pi_is_student:
            problems.append(
                _(
                    "%(route)s: the principal investigator must be a doctoral student "
                    "(career stage “Student” in their profile)."
                )
                % {"route": proposal.route}
            )
        if not any(m.is_supervisor and m.role != TeamMember.Role.PI for m in team):
            problems.append(
                _(
                    "%(route)s: add the student's supervisor to the team and mark them "
                    "as supervisor."
                )
                % {"route": proposal.route}
            )
    elif pi_is_student and not pack.requests.students_may_lead:
        problems.append(
            _(
                "In this programme a student cannot be the principal investigator; students may "
                "take part as co-investigators."
            )
        )
    paper = pack.obligations.paper
    if paper is not None and paper.overdue_bars_new_proposals:
        for member in team:
            for obligation in blocking_obligations(member.person):
                problems.append(
                    _("%(person)s cannot take part in new proposals: %(obligation)s")
                    % {"person": member.person, "obligation": obligation}
                )
    return problems


def _timing_problems(proposal: Proposal, *, now: dt.datetime) -> list[str]:
    if proposal.call.kind != Call.Kind.ANYTIME:
        return []
    start = proposal.earliest_start
    if start is None:
        return [_("Give the earliest start date of the beamtime you request.")]
    lead = proposal.route.lead_time_days
    earliest_allowed = now.astimezone(clock.TOKYO).date() + dt.timedelta(days=lead or 0)
    if lead and start < earliest_allowed:
        return [
            ngettext(
                "%(route)s requests need at least %(days)d day's notice: the earliest start "
                "is %(date)s.",
                "%(route)s requests need at least %(days)d days' notice: the earliest start "
                "is %(date)s.",
                lead,
            )
            % {"route": proposal.route, "days": lead, "date": _date(earliest_allowed)}
        ]
    if start > proposal.call.period_end:
        return [
            _("The earliest start must fall before the end of this intake (%(date)s).")
            % {"date": _date(proposal.call.period_end)}
        ]
    return []


def submission_problems(
    proposal: Proposal, *, offered: set[int], routes: set[int], now: dt.datetime
) -> list[str]:
    """Every reason ``proposal`` cannot be submitted now (empty when it can).

    ``offered`` are the beamline ids offered in the call, ``routes`` the route ids it accepts.
    """
    if proposal.status != Proposal.Status.DRAFT:
        return [_("Only a draft can be submitted; this proposal has already been submitted.")]
    pack: Pack = proposal.call.policy_version.pack
    problems = window_problems(proposal.call, now=now)
    if proposal.route_id not in routes:
        problems.append(
            _("The access route “%(route)s” is not accepted in this call.")
            % {"route": proposal.route}
        )
    problems += _content_problems(proposal)
    problems += _request_problems(proposal, offered)
    problems += _team_problems(proposal, pack)
    problems += _timing_problems(proposal, now=now)
    return problems

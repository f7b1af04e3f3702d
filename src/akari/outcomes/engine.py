"""The obligations engine: what a finished experiment owes, reminders, overdue marking.

:func:`outcomes_daily` is the guarantee (run once a day by ``manage.py outcomes_daily``; running
it again the same day changes nothing and sends nothing):

1. every experiment that has ended and is not cancelled gets its obligations
   (:func:`obligations_create`; a unique constraint per experiment and kind makes it safe);
2. pending obligations whose due date has passed become overdue (and the person is told once);
3. reminders go out at the policy's offsets: ``obligations.reminder_days_before`` days before
   the due date (0 = on the day), then every ``obligations.overdue_reminder_months`` months while
   overdue. Only the latest stage reached is sent, each once per due date (``dedupe_key``), so a
   job that missed days does not flood anyone and an extension starts the reminders afresh.

What an experiment owes (policy of its programme in force on the day it ended):

* non-proprietary route: an experiment report ``experiment_report_months`` after the end; a
  publication ``paper.months_after`` after the end of the schedule period (the experiment's end
  when it was not placed by the scheduler), extendable when ``paper.extension_possible``, barring
  new proposals when overdue if ``paper.overdue_bars_new_proposals``;
* proprietary route (the pack's route is proprietary, or the experiment is marked proprietary):
  only a short usage report ``usage_report_months`` after the end, never public, barring nothing;
  the coalition's member bookings are proprietary, so they owe just that;
* a satisfaction survey for every participant when ``obligations.survey`` (optional: it is never
  overdue and bars nothing).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from akari.beamtime.models import Experiment
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.notifications.models import Notification
from akari.notifications.services import notify
from akari.outcomes.models import Obligation
from akari.policies.schema import Pack
from akari.policies.selectors import NoPolicyInForce, policy_in_force

logger = logging.getLogger(__name__)

REMINDED_KINDS = (
    Obligation.Kind.REPORT,
    Obligation.Kind.USAGE_REPORT,
    Obligation.Kind.PUBLICATION,
)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def end_date(experiment: Experiment) -> dt.date:
    return experiment.end.astimezone(clock.TOKYO).date()


def period_end(experiment: Experiment) -> dt.date:
    """The last day of the schedule period the experiment was placed in (else its end)."""
    from akari.scheduling.models import ScheduledBlock

    placed = ScheduledBlock.objects.filter(experiment=experiment).select_related("period").first()
    return placed.period.end if placed is not None else end_date(experiment)


def is_proprietary(experiment: Experiment, pack: Pack) -> bool:
    if experiment.proprietary:
        return True
    try:
        return pack.route(experiment.route).result_ownership == "proprietary"
    except KeyError:
        return False


@dataclass(frozen=True)
class Planned:
    kind: str
    due: dt.date
    bars_new_proposals: bool = False
    extension_possible: bool = True


def planned_obligations(experiment: Experiment, pack: Pack) -> list[Planned]:
    """What ``experiment`` owes under ``pack`` (pure but for the period look-up)."""
    rules = pack.obligations
    ended = end_date(experiment)
    planned: list[Planned] = []
    if is_proprietary(experiment, pack):
        if rules.usage_report_months is not None:
            planned.append(
                Planned(Obligation.Kind.USAGE_REPORT, add_months(ended, rules.usage_report_months))
            )
    else:
        if rules.experiment_report_months is not None:
            planned.append(
                Planned(Obligation.Kind.REPORT, add_months(ended, rules.experiment_report_months))
            )
        if rules.paper is not None:
            planned.append(
                Planned(
                    Obligation.Kind.PUBLICATION,
                    add_months(period_end(experiment), rules.paper.months_after),
                    bars_new_proposals=rules.paper.overdue_bars_new_proposals,
                    extension_possible=rules.paper.extension_possible,
                )
            )
    if rules.survey:
        planned.append(Planned(Obligation.Kind.SURVEY, ended, extension_possible=False))
    return planned


def pack_of(experiment: Experiment) -> Pack | None:
    try:
        return policy_in_force(experiment.programme, on=end_date(experiment)).pack
    except NoPolicyInForce:
        logger.warning(
            "No policy of %s in force for experiment %s", experiment.programme, experiment.pk
        )
        return None


def obligations_create(*, experiment: Experiment, actor: object | None = None) -> list[Obligation]:
    """Create what a finished experiment owes (idempotent: existing kinds are left alone).
    Returns the obligations created now."""
    if experiment.status == Experiment.Status.CANCELLED or experiment.end > clock.now():
        return []
    pack = pack_of(experiment)
    if pack is None:
        return []
    public = not is_proprietary(experiment, pack)
    existing = set(experiment.obligations.values_list("kind", flat=True))
    created: list[Obligation] = []
    for plan in planned_obligations(experiment, pack):
        if plan.kind in existing:
            continue
        try:
            with transaction.atomic():
                obligation = Obligation.objects.create(
                    experiment=experiment,
                    kind=plan.kind,
                    responsible=experiment.lead,
                    due=plan.due,
                    original_due=plan.due,
                    bars_new_proposals=plan.bars_new_proposals,
                    extension_possible=plan.extension_possible,
                    public=public,
                )
        except IntegrityError:  # a concurrent run created it first
            continue
        audit.record(actor=actor, action="outcomes.obligation_created", obj=obligation)
        created.append(obligation)
    if created:
        _notify_created(experiment, created)
    return created


def _notify_created(experiment: Experiment, created: list[Obligation]) -> None:
    owed = [o for o in created if o.kind != Obligation.Kind.SURVEY]
    if owed:
        notify(
            recipient=experiment.lead,
            kind="outcomes.obligations_created",
            context={
                "reference": experiment.reference,
                "items": [
                    {"kind": str(o.get_kind_display()), "due": o.due.isoformat()} for o in owed
                ],
            },
            dedupe_key=f"outcomes.created:{experiment.pk}",
            link="/outcomes/mine/",
        )
    if any(o.kind == Obligation.Kind.SURVEY for o in created):
        people = {experiment.lead, *experiment.participants.all()}
        for person in people:
            notify(
                recipient=person,
                kind="outcomes.survey_invitation",
                context={"reference": experiment.reference},
                dedupe_key=f"outcomes.survey:{experiment.pk}",
                link=f"/outcomes/experiments/{experiment.pk}/survey/",
            )


def reminder_stage(obligation: Obligation, today: dt.date, pack: Pack | None) -> str | None:
    """The latest reminder stage ``obligation`` has reached on ``today`` (None: no reminder)."""
    offsets = pack.obligations.reminder_days_before if pack else [30, 7, 0]
    every = pack.obligations.overdue_reminder_months if pack else 1
    days_left = (obligation.due - today).days
    if days_left >= 0:
        reached = [d for d in offsets if days_left <= d]
        return f"before{min(reached)}" if reached else None
    months = months_between(obligation.due, today) // every
    return f"overdue{months}" if months >= 1 else None


@dataclass
class DailyResult:
    created: int = 0
    overdue: int = 0
    reminders: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} obligation(s) created, {self.overdue} marked overdue, "
            f"{self.reminders} reminder(s) sent"
        )


def _label(obligation: Obligation) -> dict[str, str]:
    return {
        "kind": str(obligation.get_kind_display()),
        "reference": obligation.experiment.reference,
        "due": obligation.due.isoformat(),
    }


def outcomes_daily() -> DailyResult:
    """The daily job (see the module docstring). Each step is its own transaction."""
    result = DailyResult()
    now = clock.now()
    today = clock.today()
    finished = (
        Experiment.objects.exclude(status=Experiment.Status.CANCELLED)
        .filter(end__lte=now)
        .exclude(obligations__isnull=False)
        .select_related("lead")
    )
    for experiment in finished:
        with transaction.atomic():
            result.created += len(obligations_create(experiment=experiment))
    late = Obligation.objects.filter(
        status__in=[Obligation.Status.OPEN, Obligation.Status.EXTENDED],
        kind__in=REMINDED_KINDS,
        due__lt=today,
    ).select_related("experiment", "responsible")
    for obligation in late:
        with transaction.atomic():
            transition(
                obligation,
                Obligation.Status.OVERDUE,
                actor=None,
                reason=str(_("The due date has passed.")),
            )
            notify(
                recipient=obligation.responsible,
                kind="outcomes.overdue",
                context=_label(obligation),
                dedupe_key=f"outcomes.overdue:{obligation.pk}:{obligation.due.isoformat()}",
                link=f"/outcomes/obligations/{obligation.pk}/",
            )
        result.overdue += 1
    packs: dict[tuple[str, dt.date], Pack | None] = {}
    pending = Obligation.objects.filter(
        status__in=Obligation.PENDING, kind__in=REMINDED_KINDS
    ).select_related("experiment", "responsible")
    for obligation in pending:
        key = (obligation.experiment.programme, end_date(obligation.experiment))
        if key not in packs:
            packs[key] = pack_of(obligation.experiment)
        stage = reminder_stage(obligation, today, packs[key])
        if stage is None:
            continue
        dedupe = f"outcomes.reminder:{obligation.pk}:{obligation.due.isoformat()}:{stage}"
        already = Notification.objects.filter(
            recipient=obligation.responsible, dedupe_key=dedupe
        ).exists()
        if already:
            continue
        with transaction.atomic():
            notify(
                recipient=obligation.responsible,
                kind="outcomes.reminder",
                context={**_label(obligation), "overdue": stage.startswith("overdue")},
                dedupe_key=dedupe,
                link=f"/outcomes/obligations/{obligation.pk}/",
            )
        result.reminders += 1
    return result

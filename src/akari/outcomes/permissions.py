"""Who may see and do what in outcomes (the one place for these rules).

* Staff (user office, beamline scientists, system administrators) see every obligation, review
  reports, decide extensions, waive obligations, record datasets and read survey aggregates;
  facility management reads the queue and the survey aggregates too.
* The lead and the participants of an experiment see its obligations, write its report and
  answer its survey; only the responsible person (the lead) asks for an extension.
* Anyone sees public publications and the public reports (accepted, non-proprietary, past their
  publication delay). A proprietary experiment's outcomes never appear publicly; to others its
  obligations do not exist (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from akari.accounts.roles import Role, has_role
from akari.beamtime.models import Experiment
from akari.core import clock
from akari.outcomes.models import ExperimentReport, ExtensionRequest, Obligation, Publication

STAFF_ROLES = (Role.USER_OFFICE, Role.BEAMLINE_SCIENTIST, Role.SYSTEM_ADMIN)
READER_ROLES = (*STAFF_ROLES, Role.MANAGEMENT)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_outcomes_staff(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser or has_role(user, *STAFF_ROLES))


def is_outcomes_reader(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser or has_role(user, *READER_ROLES))


def experiments_of(user: Any) -> QuerySet[Experiment]:
    if not _signed_in(user):
        return Experiment.objects.none()
    return Experiment.objects.filter(Q(lead=user) | Q(participants=user)).distinct()


def obligations_visible_to(user: Any) -> QuerySet[Obligation]:
    if is_outcomes_reader(user):
        return Obligation.objects.all()
    if not _signed_in(user):
        return Obligation.objects.none()
    return Obligation.objects.filter(
        Q(responsible=user) | Q(experiment__in=experiments_of(user).values("pk"))
    )


def get_obligation_for(user: Any, pk: int) -> Obligation:
    try:
        return (
            obligations_visible_to(user)
            .select_related("experiment__beamline", "responsible")
            .get(pk=pk)
        )
    except Obligation.DoesNotExist as missing:
        raise Http404("No such obligation.") from missing


def get_experiment_for(user: Any, pk: int) -> Experiment:
    visible = Experiment.objects.all() if is_outcomes_staff(user) else experiments_of(user)
    try:
        return visible.select_related("beamline").get(pk=pk)
    except Experiment.DoesNotExist as missing:
        raise Http404("No such experiment.") from missing


def can_write_report(user: Any, obligation: Obligation) -> bool:
    return (
        obligation.kind in (Obligation.Kind.REPORT, Obligation.Kind.USAGE_REPORT)
        and obligation.status not in (Obligation.Status.ACCEPTED, Obligation.Status.WAIVED)
        and experiments_of(user).filter(pk=obligation.experiment_id).exists()
    )


def can_edit_report(user: Any, obligation: Obligation, report: ExperimentReport | None) -> bool:
    """The report form is offered: the user may write this obligation's report and the report
    is not begun, a draft, or sent back for changes."""
    return can_write_report(user, obligation) and (
        report is None
        or report.status
        in (ExperimentReport.Status.DRAFT, ExperimentReport.Status.CHANGES_REQUESTED)
    )


def can_ask_extension_now(user: Any, obligation: Obligation) -> bool:
    """The extension form is offered: the user may ask, and no request awaits a decision."""
    return (
        can_request_extension(user, obligation)
        and not obligation.extensions.filter(status=ExtensionRequest.Status.PENDING).exists()
    )


def can_request_extension(user: Any, obligation: Obligation) -> bool:
    return (
        _signed_in(user)
        and obligation.responsible_id == user.pk
        and obligation.extension_possible
        and obligation.status in Obligation.PENDING
    )


def can_answer_survey(user: Any, experiment: Experiment) -> bool:
    return experiments_of(user).filter(pk=experiment.pk).exists()


def public_publications() -> QuerySet[Publication]:
    return Publication.objects.filter(public=True)


def public_reports() -> QuerySet[ExperimentReport]:
    return ExperimentReport.objects.filter(
        status=ExperimentReport.Status.ACCEPTED,
        obligation__kind=Obligation.Kind.REPORT,
        obligation__public=True,
        obligation__experiment__proprietary=False,
        public_from__isnull=False,
        public_from__lte=clock.today(),
    )

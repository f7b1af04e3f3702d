"""Every write of outcomes but publications (:mod:`akari.outcomes.publications`) and the daily
job (:mod:`akari.outcomes.engine`): experiment reports, extensions, waivers, surveys, datasets.

Each service is keyword-only, atomic, takes the acting user, writes an audit row, and raises a
translated ``ValidationError`` (changing nothing) on bad input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from akari.accounts.models import User
from akari.accounts.roles import Role
from akari.beamtime.models import Experiment
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.notifications.services import notify
from akari.outcomes.engine import add_months, end_date, is_proprietary, pack_of
from akari.outcomes.models import (
    Dataset,
    ExperimentReport,
    ExtensionRequest,
    Obligation,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)

REPORT_KINDS = (Obligation.Kind.REPORT, Obligation.Kind.USAGE_REPORT)
REPORT_FIELDS = ("language", "title", "aim", "method", "results", "outlook")


def _tell_user_office(*, kind: str, obligation: Obligation, key: str, actor: User) -> None:
    """Tell the user office that something waits for them (a report, an extension request)."""
    office = User.objects.filter(groups__name=Role.USER_OFFICE, is_active=True).distinct()
    for person in office:
        notify(
            recipient=person,
            kind=kind,
            context={
                "reference": obligation.experiment.reference,
                "kind": str(obligation.get_kind_display()),
            },
            dedupe_key=key,
            link=f"/outcomes/obligations/{obligation.pk}/",
            actor=actor,
        )


def _lock(obligation: Obligation) -> Obligation:
    return Obligation.objects.select_for_update().select_related("experiment").get(pk=obligation.pk)


# --- Experiment reports -------------------------------------------------------------------


@transaction.atomic
def report_save(
    *, obligation: Obligation, actor: User, data: Mapping[str, Any], submit: bool = False
) -> ExperimentReport:
    """Save the report of ``obligation`` as a draft (creating it), and submit it if ``submit``.

    A submitted report waits for staff; after "changes requested" it can be edited and
    submitted again. An accepted report is final."""
    locked = _lock(obligation)
    if locked.kind not in REPORT_KINDS:
        raise ValidationError(_("This obligation is not fulfilled by a report."))
    if locked.status in (Obligation.Status.ACCEPTED, Obligation.Status.WAIVED):
        raise ValidationError(_("This obligation is closed; the report cannot change."))
    report = ExperimentReport.objects.select_for_update().filter(obligation=locked).first()
    if report is not None and report.status in (
        ExperimentReport.Status.SUBMITTED,
        ExperimentReport.Status.ACCEPTED,
    ):
        raise ValidationError(_("The report is with the facility and cannot be edited now."))
    values = {name: data[name] for name in REPORT_FIELDS if name in data}
    if not str(values.get("title", report.title if report else "")).strip():
        raise ValidationError({"title": _("Give the report a title.")})
    if report is None:
        report = ExperimentReport.objects.create(obligation=locked, author=actor, **values)
    else:
        for name, value in values.items():
            setattr(report, name, value)
        report.save(update_fields=[*values, "updated_at"])
    audit.record(actor=actor, action="outcomes.report_saved", obj=report)
    if submit:
        missing = [name for name in ("aim", "method", "results") if not getattr(report, name)]
        if missing:
            raise ValidationError({name: _("Fill this in before submitting.") for name in missing})
        transition(
            report,
            ExperimentReport.Status.SUBMITTED,
            actor=actor,
            extra_updates={"submitted_at": clock.now()},
        )
        transition(locked, Obligation.Status.SUBMITTED, actor=actor)
        audit.record(actor=actor, action="outcomes.report_submitted", obj=report)
        _tell_user_office(
            kind="outcomes.staff_report_submitted",
            obligation=locked,
            key=f"outcomes.staff_report:{report.pk}:{report.submitted_at:%Y%m%d%H%M%S%f}",
            actor=actor,
        )
    return report


@transaction.atomic
def report_review(
    *, report: ExperimentReport, actor: User, accept: bool, note: str = ""
) -> ExperimentReport:
    """Staff accept a submitted report (the obligation is fulfilled; a non-proprietary report
    becomes public after the policy's delay) or ask for changes (the obligation is open again,
    or overdue when its due date has passed)."""
    obligation = _lock(report.obligation)
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say what should change.")})
    now = clock.now()
    if accept:
        public_from = None
        if obligation.kind == Obligation.Kind.REPORT and obligation.public:
            pack = pack_of(obligation.experiment)
            delay = pack.obligations.report_publication_delay_months if pack else 0
            public_from = add_months(now.astimezone(clock.TOKYO).date(), delay)
        transition(
            report,
            ExperimentReport.Status.ACCEPTED,
            actor=actor,
            reason=note,
            extra_updates={"accepted_at": now, "review_note": note, "public_from": public_from},
        )
        transition(
            obligation, Obligation.Status.ACCEPTED, actor=actor, extra_updates={"fulfilled_at": now}
        )
    else:
        transition(
            report,
            ExperimentReport.Status.CHANGES_REQUESTED,
            actor=actor,
            reason=note,
            extra_updates={"review_note": note},
        )
        back = (
            Obligation.Status.OVERDUE if obligation.due < clock.today() else Obligation.Status.OPEN
        )
        transition(obligation, back, actor=actor, reason=note)
    audit.record(actor=actor, action="outcomes.report_reviewed", obj=report, accepted=accept)
    notify(
        recipient=report.author,
        kind="outcomes.report_reviewed",
        context={
            "reference": obligation.experiment.reference,
            "accepted": accept,
            "note": note,
        },
        dedupe_key=f"outcomes.report_reviewed:{report.pk}:{now.isoformat()}",
        link=f"/outcomes/obligations/{obligation.pk}/",
        actor=actor,
    )
    return report


# --- Extensions and waivers ---------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, obligation: Obligation, actor: User, reason: str, until: dt.date | None = None
) -> ExtensionRequest:
    locked = _lock(obligation)
    if not locked.extension_possible:
        raise ValidationError(_("The policy does not allow extending this obligation."))
    if locked.status not in Obligation.PENDING:
        raise ValidationError(_("Only an open or overdue obligation can be extended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if until is not None and until <= locked.due:
        raise ValidationError({"until": _("Ask for a date after the current due date.")})
    if locked.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
        raise ValidationError(_("An extension request is already waiting for a decision."))
    request = ExtensionRequest.objects.create(
        obligation=locked,
        reason=reason,
        requested_until=until,
        requested_by=actor,
        old_due=locked.due,
    )
    audit.record(actor=actor, action="outcomes.extension_requested", obj=request)
    _tell_user_office(
        kind="outcomes.staff_extension_requested",
        obligation=locked,
        key=f"outcomes.staff_extension:{request.pk}",
        actor=actor,
    )
    return request


@transaction.atomic
def extension_decide(
    *,
    request: ExtensionRequest,
    actor: User,
    approve: bool,
    new_due: dt.date | None = None,
    note: str = "",
) -> ExtensionRequest:
    """Staff approve (with the new due date) or refuse an extension request; the obligation
    becomes "extended" with the new due date (its reminders start again)."""
    obligation = _lock(request.obligation)
    now = clock.now()
    if approve:
        if new_due is None or new_due <= obligation.due or new_due <= clock.today():
            raise ValidationError(
                {"new_due": _("Give a new due date after the current one and after today.")}
            )
        transition(
            request,
            ExtensionRequest.Status.APPROVED,
            actor=actor,
            reason=note,
            extra_updates={
                "new_due": new_due,
                "decided_by": actor,
                "decided_at": now,
                "decision_note": note,
            },
        )
        transition(
            obligation,
            Obligation.Status.EXTENDED,
            actor=actor,
            reason=note or request.reason,
            extra_updates={"due": new_due},
        )
    else:
        if not note.strip():
            raise ValidationError({"note": _("Say why the extension is refused.")})
        transition(
            request,
            ExtensionRequest.Status.REFUSED,
            actor=actor,
            reason=note,
            extra_updates={"decided_by": actor, "decided_at": now, "decision_note": note},
        )
    audit.record(actor=actor, action="outcomes.extension_decided", obj=request, approved=approve)
    notify(
        recipient=request.requested_by,
        kind="outcomes.extension_decided",
        context={
            "reference": obligation.experiment.reference,
            "kind": str(obligation.get_kind_display()),
            "approved": approve,
            "due": obligation.due.isoformat(),
            "note": note,
        },
        dedupe_key=f"outcomes.extension:{request.pk}",
        link=f"/outcomes/obligations/{obligation.pk}/",
        actor=actor,
    )
    return request


@transaction.atomic
def obligation_waive(*, obligation: Obligation, actor: User, reason: str) -> Obligation:
    """Staff waive an obligation (lifting any sanction it caused); the reason is kept."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for waiving.")})
    transition(
        obligation,
        Obligation.Status.WAIVED,
        actor=actor,
        reason=reason,
        extra_updates={"waived_reason": reason, "fulfilled_at": clock.now()},
    )
    audit.record(actor=actor, action="outcomes.obligation_waived", obj=obligation, reason=reason)
    return obligation


# --- Surveys ------------------------------------------------------------------------------


@transaction.atomic
def survey_respond(
    *, experiment: Experiment, actor: User, answers: Mapping[int, Any]
) -> SurveyResponse:
    """One response per participant (a second one is refused); ``answers`` maps question ids
    to a score 1–5 (scale questions) or a text. The experiment's survey obligation is fulfilled
    by the first response."""
    questions = {
        q.pk: q
        for q in SurveyQuestion.objects.filter(
            facility=experiment.beamline.facility_id, active=True
        )
    }
    rows: list[SurveyAnswer] = []
    for pk, question in questions.items():
        value = answers.get(pk)
        if question.kind == SurveyQuestion.Kind.SCALE:
            if value in (None, ""):
                continue
            score = int(value)
            if not 1 <= score <= 5:
                raise ValidationError(_("Scores go from 1 to 5."))
            rows.append(SurveyAnswer(question=question, score=score))
        elif value:
            rows.append(SurveyAnswer(question=question, text=str(value)))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(experiment=experiment, respondent=actor)
    except IntegrityError:
        raise ValidationError(
            _("You have already answered the survey of this experiment.")
        ) from None
    for row in rows:
        row.response = response
    SurveyAnswer.objects.bulk_create(rows)
    survey = (
        Obligation.objects.filter(experiment=experiment, kind=Obligation.Kind.SURVEY)
        .exclude(status__in=[Obligation.Status.ACCEPTED, Obligation.Status.WAIVED])
        .first()
    )
    if survey is not None:
        transition(
            survey,
            Obligation.Status.ACCEPTED,
            actor=actor,
            extra_updates={"fulfilled_at": clock.now()},
        )
    audit.record(actor=actor, action="outcomes.survey_answered", obj=response)
    return response


# --- Datasets -----------------------------------------------------------------------------


def default_embargo(experiment: Experiment) -> dt.date | None:
    """Non-proprietary: ``obligations.data_embargo_years`` after the end; proprietary: never
    public (None)."""
    pack = pack_of(experiment)
    if pack is None or is_proprietary(experiment, pack):
        return None
    return add_months(end_date(experiment), 12 * pack.obligations.data_embargo_years)


@transaction.atomic
def dataset_add(
    *,
    experiment: Experiment,
    actor: User,
    pid: str,
    location: str,
    size_bytes: int,
    description: str = "",
) -> Dataset:
    pid = pid.strip()
    if not pid or not location.strip():
        raise ValidationError(_("A dataset needs an identifier and a location."))
    if size_bytes < 0:
        raise ValidationError({"size_bytes": _("The size cannot be negative.")})
    if Dataset.objects.filter(pid=pid).exists():
        raise ValidationError({"pid": _("A dataset with this identifier is already recorded.")})
    try:
        with transaction.atomic():  # the unique identifier decides when two add it at once
            dataset = Dataset.objects.create(
                experiment=experiment,
                pid=pid,
                location=location.strip(),
                size_bytes=size_bytes,
                description=description,
                embargo_until=default_embargo(experiment),
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"pid": _("A dataset with this identifier is already recorded.")}
        ) from exc
    audit.record(actor=actor, action="outcomes.dataset_added", obj=dataset)
    return dataset

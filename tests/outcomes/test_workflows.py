"""Every transition of obligations, reports and extensions; waivers; surveys."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from akari.core import clock
from akari.core.models import StatusEvent
from akari.core.workflow import IllegalTransition, history, transition
from akari.outcomes import services
from akari.outcomes.engine import obligations_create
from akari.outcomes.models import (
    ExperimentReport,
    ExtensionRequest,
    Obligation,
    SurveyResponse,
)
from tests.beamtime.factories import at
from tests.factories import UserFactory
from tests.outcomes.factories import experiment, staff, survey_questions

pytestmark = pytest.mark.django_db

AFTER = at(2026, 6, 2, 9)
REPORT = {
    "language": "ja",
    "title": "触媒ナノ粒子の局所構造",
    "aim": "反応中の構造変化を調べる。",
    "method": "オペランドXAFS",
    "results": "Pt-Pt 結合距離が短縮した。",
    "outlook": "他の担体で比較する。",
}


def obligations(**kwargs) -> dict[str, Obligation]:
    exp = experiment(**kwargs)
    with clock.frozen(AFTER):
        obligations_create(experiment=exp)
    return {o.kind: o for o in exp.obligations.select_related("experiment")}


ALL = set(Obligation.Status.values)


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s in Obligation.Status.values for t in Obligation.Status.values],
)
def test_obligation_transition_table(source, target):
    obligation = obligations()["publication"]
    Obligation.objects.filter(pk=obligation.pk).update(status=source)
    allowed = target in {str(t) for t in Obligation.TRANSITIONS[Obligation.Status(source)]}

    if allowed:
        transition(obligation, target, actor=None)
        obligation.refresh_from_db()
        assert obligation.status == target
        assert history(obligation).get().to_status == target
    else:
        with pytest.raises(IllegalTransition):
            transition(obligation, target, actor=None)
        obligation.refresh_from_db()
        assert obligation.status == source
        assert not history(obligation).exists()


def test_closed_obligations_are_final():
    assert Obligation.TRANSITIONS[Obligation.Status.ACCEPTED] == set()
    assert Obligation.TRANSITIONS[Obligation.Status.WAIVED] == set()


def test_report_draft_submit_accept_fulfils_and_publishes_after_the_delay():
    report_ob = obligations()["report"]
    lead = report_ob.experiment.lead
    reviewer = staff()

    with clock.frozen(at(2026, 7, 1, 10)):
        draft = services.report_save(obligation=report_ob, actor=lead, data={"title": "途中"})
        assert draft.status == "draft"
        services.report_save(obligation=report_ob, actor=lead, data=REPORT, submit=True)
    report_ob.refresh_from_db()
    draft.refresh_from_db()
    assert (draft.status, report_ob.status) == ("submitted", "submitted")
    assert draft.title == REPORT["title"]

    with clock.frozen(at(2026, 7, 10, 10)):
        services.report_review(report=draft, actor=reviewer, accept=True)
    draft.refresh_from_db()
    report_ob.refresh_from_db()
    assert (draft.status, report_ob.status) == ("accepted", "accepted")
    assert draft.public_from == dt.date(2026, 10, 10)  # 3 months after acceptance (default)
    assert [e.to_status for e in history(report_ob).order_by("pk")] == ["submitted", "accepted"]


def test_changes_requested_reopens_and_can_be_resubmitted():
    report_ob = obligations()["report"]
    lead = report_ob.experiment.lead
    with clock.frozen(at(2026, 7, 1, 10)):
        report = services.report_save(obligation=report_ob, actor=lead, data=REPORT, submit=True)
        with pytest.raises(ValidationError):
            services.report_review(report=report, actor=staff(), accept=False, note="")
        services.report_review(report=report, actor=staff(), accept=False, note="結果の図を追加")
        report_ob.refresh_from_db()
        assert report_ob.status == "open"
        services.report_save(obligation=report_ob, actor=lead, data=REPORT, submit=True)
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.review_note == "結果の図を追加"


def test_changes_requested_after_the_due_date_makes_it_overdue():
    report_ob = obligations()["report"]
    with clock.frozen(at(2026, 7, 30, 10)):
        report = services.report_save(
            obligation=report_ob, actor=report_ob.experiment.lead, data=REPORT, submit=True
        )
    with clock.frozen(at(2026, 8, 5, 10)):
        services.report_review(report=report, actor=staff(), accept=False, note="要修正")
    report_ob.refresh_from_db()
    assert report_ob.status == "overdue"


def test_submitting_an_incomplete_report_changes_nothing():
    report_ob = obligations()["report"]
    with clock.frozen(at(2026, 7, 1, 10)), pytest.raises(ValidationError) as refused:
        services.report_save(
            obligation=report_ob,
            actor=report_ob.experiment.lead,
            data={"title": "題", "aim": "目的"},
            submit=True,
        )
    assert set(refused.value.message_dict) == {"method", "results"}
    assert not ExperimentReport.objects.exists()
    report_ob.refresh_from_db()
    assert report_ob.status == "open"


def test_a_usage_report_is_never_public():
    usage = obligations(route="proprietary_normal", proprietary=True)["usage_report"]
    with clock.frozen(at(2026, 7, 1, 10)):
        report = services.report_save(
            obligation=usage, actor=usage.experiment.lead, data=REPORT, submit=True
        )
        services.report_review(report=report, actor=staff(), accept=True)
    report.refresh_from_db()
    assert report.status == "accepted"
    assert report.public_from is None


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s in ExtensionRequest.Status.values for t in ExtensionRequest.Status.values],
)
def test_extension_transition_table(source, target):
    paper = obligations()["publication"]
    with clock.frozen(AFTER):
        request = services.extension_request(
            obligation=paper, actor=paper.responsible, reason="査読中"
        )
    ExtensionRequest.objects.filter(pk=request.pk).update(status=source)
    allowed = target in {str(t) for t in ExtensionRequest.TRANSITIONS[source]}
    if allowed:
        transition(request, target, actor=None)
        request.refresh_from_db()
        assert request.status == target
    else:
        with pytest.raises(IllegalTransition):
            transition(request, target, actor=None)
        request.refresh_from_db()
        assert request.status == source


def test_extension_approved_moves_the_due_date_and_keeps_history():
    paper = obligations()["publication"]
    decider = staff()
    with clock.frozen(at(2029, 5, 1, 10)):
        first = services.extension_request(
            obligation=paper, actor=paper.responsible, reason="査読中", until=dt.date(2030, 6, 1)
        )
        with pytest.raises(ValidationError):
            services.extension_request(obligation=paper, actor=paper.responsible, reason="again")
        services.extension_decide(
            request=first, actor=decider, approve=True, new_due=dt.date(2030, 3, 1), note="OK"
        )
    paper.refresh_from_db()
    first.refresh_from_db()
    assert (paper.status, paper.due, paper.original_due) == (
        "extended",
        dt.date(2030, 3, 1),
        dt.date(2029, 6, 1),
    )
    assert (first.status, first.old_due, first.new_due, first.decided_by) == (
        "approved",
        dt.date(2029, 6, 1),
        dt.date(2030, 3, 1),
        decider,
    )
    with clock.frozen(at(2030, 2, 1, 10)):
        second = services.extension_request(
            obligation=paper, actor=paper.responsible, reason="改訂中"
        )
        services.extension_decide(request=second, actor=decider, approve=False, note="不可")
    paper.refresh_from_db()
    assert paper.due == dt.date(2030, 3, 1)
    assert list(paper.extensions.values_list("status", flat=True)) == ["refused", "approved"]
    assert [e.to_status for e in history(paper)] == ["extended"]


def test_extension_refusals():
    ob = obligations()
    survey, paper = ob["survey"], ob["publication"]
    with clock.frozen(AFTER):
        with pytest.raises(ValidationError):
            services.extension_request(obligation=survey, actor=survey.responsible, reason="x")
        with pytest.raises(ValidationError):
            services.extension_request(obligation=paper, actor=paper.responsible, reason=" ")
        with pytest.raises(ValidationError):
            services.extension_request(
                obligation=paper, actor=paper.responsible, reason="x", until=dt.date(2029, 1, 1)
            )
        request = services.extension_request(obligation=paper, actor=paper.responsible, reason="x")
        with pytest.raises(ValidationError):
            services.extension_decide(
                request=request, actor=staff(), approve=True, new_due=dt.date(2029, 5, 1)
            )
        with pytest.raises(ValidationError):
            services.extension_decide(request=request, actor=staff(), approve=False, note="")
    request.refresh_from_db()
    assert request.status == "pending"


def test_waive_needs_a_reason_and_is_final():
    paper = obligations()["publication"]
    with pytest.raises(ValidationError):
        services.obligation_waive(obligation=paper, actor=staff(), reason="")
    services.obligation_waive(obligation=paper, actor=staff(), reason="研究中止（病気）")
    paper.refresh_from_db()
    assert (paper.status, paper.waived_reason) == ("waived", "研究中止（病気）")
    with pytest.raises(IllegalTransition):
        services.obligation_waive(obligation=paper, actor=staff(), reason="again")
    assert StatusEvent.objects.filter(object_id=str(paper.pk), to_status="waived").count() == 1


def test_survey_one_response_per_participant_and_fulfilled():
    participant = UserFactory()
    exp = experiment(participants=(participant,))
    with clock.frozen(AFTER):
        obligations_create(experiment=exp)
    scale, text = survey_questions(exp)

    services.survey_respond(experiment=exp, actor=participant, answers={scale.pk: 4, text.pk: "良"})
    with pytest.raises(ValidationError):
        services.survey_respond(experiment=exp, actor=participant, answers={scale.pk: 5})
    services.survey_respond(experiment=exp, actor=exp.lead, answers={scale.pk: 2})
    with pytest.raises(ValidationError):
        services.survey_respond(experiment=exp, actor=UserFactory(), answers={scale.pk: 9})

    assert SurveyResponse.objects.filter(experiment=exp).count() == 2
    assert exp.obligations.get(kind="survey").status == "accepted"


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s in ExperimentReport.Status.values for t in ExperimentReport.Status.values],
)
def test_report_transition_table(source, target):
    report_ob = obligations()["report"]
    with clock.frozen(at(2026, 7, 1, 10)):
        report = services.report_save(
            obligation=report_ob, actor=report_ob.experiment.lead, data={"title": "t"}
        )
    ExperimentReport.objects.filter(pk=report.pk).update(status=source)
    allowed = target in {str(t) for t in ExperimentReport.TRANSITIONS[source]}
    if allowed:
        transition(report, target, actor=None)
        report.refresh_from_db()
        assert report.status == target
    else:
        with pytest.raises(IllegalTransition):
            transition(report, target, actor=None)
        report.refresh_from_db()
        assert report.status == source
        assert not history(report).exists()


def test_a_submitted_or_accepted_report_cannot_be_edited():
    report_ob = obligations()["report"]
    lead = report_ob.experiment.lead
    with clock.frozen(at(2026, 7, 1, 10)):
        services.report_save(obligation=report_ob, actor=lead, data=REPORT, submit=True)
        with pytest.raises(ValidationError):
            services.report_save(obligation=report_ob, actor=lead, data={"title": "changed"})
    assert ExperimentReport.objects.get().title == REPORT["title"]


def test_the_user_office_is_told_of_a_submitted_report_and_an_extension_request():
    from akari.notifications.models import Notification

    office = staff()
    ob = obligations()
    lead = ob["report"].experiment.lead
    with clock.frozen(at(2026, 7, 1, 10)):
        services.report_save(obligation=ob["report"], actor=lead, data=REPORT, submit=True)
        services.extension_request(obligation=ob["publication"], actor=lead, reason="査読中")

    told = Notification.objects.filter(recipient=office).order_by("pk")
    assert [n.kind for n in told] == [
        "outcomes.staff_report_submitted",
        "outcomes.staff_extension_requested",
    ]
    assert told[0].link == f"/outcomes/obligations/{ob['report'].pk}/"
    assert not Notification.objects.filter(
        recipient=lead, kind__startswith="outcomes.staff_"
    ).exists()


def test_the_forms_are_offered_only_while_they_can_be_used():
    from akari.outcomes import permissions

    ob = obligations()
    report, paper = ob["report"], ob["publication"]
    person = paper.responsible
    with clock.frozen(AFTER):
        assert permissions.can_edit_report(person, report, None)
        assert permissions.can_ask_extension_now(person, paper)
        services.extension_request(obligation=paper, actor=person, reason="査読中")
        assert not permissions.can_ask_extension_now(person, paper)
        submitted = ExperimentReport(obligation=report, status=ExperimentReport.Status.SUBMITTED)
        assert not permissions.can_edit_report(person, report, submitted)
        sent_back = ExperimentReport(
            obligation=report, status=ExperimentReport.Status.CHANGES_REQUESTED
        )
        assert permissions.can_edit_report(person, report, sent_back)
    assert not permissions.can_edit_report(UserFactory(), report, None)

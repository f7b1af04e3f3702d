"""The obligations engine: what each route owes, the daily job, reminders and overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from akari.beamtime import services as beamtime
from akari.core import clock
from akari.notifications.models import Notification
from akari.outcomes.engine import add_months, months_between, obligations_create, outcomes_daily
from akari.outcomes.models import Obligation
from tests.beamtime.factories import at
from tests.outcomes.factories import END, experiment

pytestmark = pytest.mark.django_db

AFTER = at(2026, 6, 2, 9)  # the morning after the default experiment


def owed(exp) -> dict[str, tuple[str, bool, bool, bool]]:
    return {
        o.kind: (o.due.isoformat(), o.bars_new_proposals, o.extension_possible, o.public)
        for o in exp.obligations.all()
    }


def test_add_months_clamps_to_the_last_day():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 6, 1), 36) == dt.date(2029, 6, 1)
    assert add_months(dt.date(2026, 11, 15), 2) == dt.date(2027, 1, 15)
    assert months_between(dt.date(2026, 1, 31), dt.date(2026, 2, 28)) == 1
    assert months_between(dt.date(2026, 6, 1), dt.date(2026, 6, 30)) == 0


def test_spring8_non_proprietary_owes_report_paper_and_survey():
    exp = experiment(programme="spring8", route="normal")

    with clock.frozen(AFTER):
        created = obligations_create(experiment=exp)

    assert len(created) == 3
    assert owed(exp) == {
        "report": ("2026-08-01", False, True, True),
        "publication": ("2029-06-01", True, True, True),
        "survey": ("2026-06-01", False, False, True),
    }
    assert all(o.responsible == exp.lead and o.status == "open" for o in created)


def test_spring8_proprietary_owes_only_a_private_usage_report():
    exp = experiment(programme="spring8", route="proprietary_normal", proprietary=True)

    with clock.frozen(AFTER):
        obligations_create(experiment=exp)

    assert owed(exp) == {
        "usage_report": ("2026-08-01", False, True, False),
        "survey": ("2026-06-01", False, False, False),
    }


def test_a_proprietary_route_is_proprietary_even_if_the_experiment_is_not_flagged():
    exp = experiment(programme="nanoterasu-shared", route="proprietary", proprietary=False)

    with clock.frozen(AFTER):
        obligations_create(experiment=exp)

    assert set(owed(exp)) == {"usage_report", "survey"}


def test_nanoterasu_shared_general_follows_spring8_defaults():
    exp = experiment(programme="nanoterasu-shared", route="general")

    with clock.frozen(AFTER):
        obligations_create(experiment=exp)

    assert owed(exp)["report"] == ("2026-08-01", False, True, True)
    assert owed(exp)["publication"] == ("2029-06-01", True, True, True)


def test_coalition_booking_owes_a_usage_report_only():
    exp = experiment(programme="nanoterasu-coalition", route="basic", proprietary=True)

    with clock.frozen(AFTER):
        obligations_create(experiment=exp)

    assert set(owed(exp)) == {"usage_report", "survey"}
    assert not exp.obligations.filter(public=True).exists()


def test_nothing_is_owed_before_the_end_or_for_a_cancelled_experiment():
    running = experiment()
    cancelled = experiment(end=END + dt.timedelta(days=1))
    with clock.frozen(END - dt.timedelta(hours=1)):
        beamtime.experiment_cancel(experiment=cancelled, actor=None)
        assert obligations_create(experiment=running) == []

    with clock.frozen(END + dt.timedelta(days=3)):
        outcomes_daily()

    assert not cancelled.obligations.exists()
    assert running.obligations.count() == 3


def test_the_daily_job_creates_once_and_tells_the_lead_once():
    participant = experiment().participants  # noqa: F841  (experiment with no participants)
    exp = experiment(end=END - dt.timedelta(days=10))

    with clock.frozen(AFTER):
        first = outcomes_daily()
        second = outcomes_daily()

    assert first.created == 6  # both experiments
    assert (second.created, second.overdue, second.reminders) == (0, 0, 0)
    assert (
        Notification.objects.filter(recipient=exp.lead, kind="outcomes.obligations_created").count()
        == 1
    )
    assert (
        Notification.objects.filter(recipient=exp.lead, kind="outcomes.survey_invitation").count()
        == 1
    )


def reminders(obligation: Obligation) -> list[str]:
    return sorted(
        n.dedupe_key.rsplit(":", 1)[1]
        for n in Notification.objects.filter(
            kind="outcomes.reminder", dedupe_key__startswith=f"outcomes.reminder:{obligation.pk}:"
        )
    )


def test_reminder_job_run_twice_on_the_same_day_sends_nothing_twice():
    exp = experiment()
    with clock.frozen(AFTER):
        outcomes_daily()
    report = exp.obligations.get(kind="report")

    with clock.frozen(at(2026, 7, 2, 9)):  # 30 days before 2026-08-01
        first = outcomes_daily()
        second = outcomes_daily()

    assert first.reminders == 1
    assert second.reminders == 0
    assert reminders(report) == ["before30"]
    assert Notification.objects.filter(kind="outcomes.reminder").count() == 1


def test_time_travel_from_the_end_through_every_reminder_to_overdue_and_the_sanction():
    from akari.proposals.rules import blocking_obligations

    exp = experiment()
    lead = exp.lead
    day = dt.date(2026, 6, 2)
    seen: dict[str, dt.date] = {}
    while day <= dt.date(2029, 8, 15):
        with clock.frozen(dt.datetime.combine(day, dt.time(9), tzinfo=clock.TOKYO)):
            outcomes_daily()
            report = exp.obligations.get(kind="report")
            paper = exp.obligations.get(kind="publication")
            for obligation, name in ((report, "report"), (paper, "paper")):
                for stage in reminders(obligation):
                    seen.setdefault(f"{name}:{stage}", day)
                if obligation.status == "overdue":
                    seen.setdefault(f"{name}:overdue", day)
            if blocking_obligations(lead):
                seen.setdefault("sanction", day)
                if day > dt.date(2029, 6, 5):
                    break
        # daily near the due dates, weekly otherwise (the job is idempotent per stage)
        near = any(
            abs((due - day).days) <= 40
            for due in (dt.date(2026, 8, 1), dt.date(2029, 6, 1), dt.date(2026, 9, 1))
        )
        day += dt.timedelta(days=1 if near else 7)

    assert seen["report:before30"] == dt.date(2026, 7, 2)
    assert seen["report:before7"] == dt.date(2026, 7, 25)
    assert seen["report:before0"] == dt.date(2026, 8, 1)
    assert seen["report:overdue"] == dt.date(2026, 8, 2)
    assert seen["report:overdue1"] == dt.date(2026, 9, 1)
    assert seen["paper:before30"] == dt.date(2029, 5, 2)
    assert seen["paper:before7"] == dt.date(2029, 5, 25)
    assert seen["paper:before0"] == dt.date(2029, 6, 1)
    assert seen["paper:overdue"] == dt.date(2029, 6, 2)
    # an overdue report does not bar; an overdue paper does, from the day after its due date
    assert seen["sanction"] == dt.date(2029, 6, 2)
    overdue_notices = Notification.objects.filter(recipient=lead, kind="outcomes.overdue")
    assert overdue_notices.count() == 2
    with clock.frozen(at(2029, 6, 3, 9)), translation.override("en"):
        message = blocking_obligations(lead)[0]
    assert exp.reference in message
    assert "June 1, 2029" in message
    assert "Register the publication" in message


def test_an_overdue_report_gets_monthly_reminders_not_a_flood():
    exp = experiment()
    with clock.frozen(AFTER):
        outcomes_daily()
    report = exp.obligations.get(kind="report")

    with clock.frozen(at(2026, 12, 5, 9)):  # first run in months: 4 months overdue
        result = outcomes_daily()

    assert result.overdue == 1  # the report; the survey is never overdue, the paper is far
    assert reminders(report) == ["overdue4"]


def test_the_paper_is_due_36_months_after_the_end_of_the_schedule_period():
    from tests.outcomes.factories import placed

    exp = experiment()
    placed(exp, period_end=dt.date(2026, 7, 31))

    with clock.frozen(AFTER):
        obligations_create(experiment=exp)

    assert exp.obligations.get(kind="publication").due == dt.date(2029, 7, 31)
    assert exp.obligations.get(kind="report").due == dt.date(2026, 8, 1)


def test_the_management_command_runs_the_daily_job():
    import io

    from django.core.management import call_command

    experiment()
    out = io.StringIO()
    with clock.frozen(AFTER):
        call_command("outcomes_daily", stdout=out)
        call_command("outcomes_daily", stdout=out)

    assert out.getvalue().splitlines() == [
        "3 obligation(s) created, 0 marked overdue, 0 reminder(s) sent",
        "0 obligation(s) created, 0 marked overdue, 0 reminder(s) sent",
    ]

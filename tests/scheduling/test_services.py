"""Calendar → solver → draft → adjustments → publish → cancel, through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from akari.beamtime.models import Block, BookingWindow, Experiment
from akari.core.models import AuditEvent
from akari.notifications.models import Notification
from akari.proposals.models import UnavailablePeriod
from akari.scheduling import grid as grids
from akari.scheduling import publishing, services
from akari.scheduling.models import (
    BeamlineOutage,
    BeamlinePlan,
    ScheduledBlock,
    SchedulePeriod,
    SolverRun,
)
from akari.scheduling.solver import Placement, violations
from tests.beamtime.factories import at
from tests.scheduling.conftest import accepted

pytestmark = pytest.mark.django_db


def solved(week):  # type: ignore[no-untyped-def]
    run = services.solve_request(period=week.period, actor=week.staff)
    return run


def test_grid_user_time_outages_blackouts_and_coalition_share(week):
    BeamlineOutage.objects.create(
        period=week.period, beamline=week.beamline, start=at(2026, 10, 7, 9), end=at(2026, 10, 8, 9)
    )
    UnavailablePeriod.objects.create(
        proposal=week.first, start=at(2026, 10, 1).date(), end=at(2026, 10, 2).date()
    )

    instance, ctx = grids.build(week.period)

    assert instance.horizon == 21 and ctx.grid.origin == at(2026, 10, 1, 9)
    [beamline] = instance.beamlines
    assert beamline.available == ((0, 9), (12, 18))  # maintenance day and the outage left out
    award = next(a for a in instance.awards if a.id == week.first.beamline_requests.get().pk)
    assert award.shifts == 6 and award.blackouts == ((0, 5),)  # 1 Oct 09:00 to 3 Oct 01:00
    BeamlinePlan.objects.create(period=week.period, beamline=week.beamline, coalition_percent=50)
    instance, ctx = grids.build(week.period)
    assert len(ctx.coalition["BL02U"]) == 9  # half of the 18 user shifts, whole days
    assert sum(e - s for s, e in instance.beamlines[0].available) == 6


def test_solver_run_stores_a_valid_draft_and_its_figures(week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = solved(week)

    run.refresh_from_db()
    week.period.refresh_from_db()
    assert run.status == SolverRun.Status.DONE
    assert week.period.status == SchedulePeriod.Status.DRAFT_READY
    assert run.placed == 2 and run.total == 2
    assert run.objective is not None and run.bound is not None
    assert run.objective <= run.bound + 1e-6
    assert run.objective >= run.greedy
    blocks = list(ScheduledBlock.objects.filter(period=week.period))
    assert len(blocks) == 2 and all(b.shifts == 6 for b in blocks)
    for block in blocks:  # never over the maintenance day
        assert not (block.start < at(2026, 10, 5, 9) and block.end > at(2026, 10, 4, 9))
    instance, ctx = grids.build(week.period, keep_pins=False)
    placements = [
        Placement(b.request_id, b.beamline.code, [(ctx.grid.index(b.start), b.shifts)])
        for b in blocks
    ]
    assert run.unplaced == []
    assert violations(instance, placements) == []


def test_explanations_for_unplaced_awards(week, django_capture_on_commit_callbacks):
    big = accepted(week.call, 12)  # longest user-time run is 9 shifts

    with django_capture_on_commit_callbacks(execute=True):
        run = solved(week)

    run.refresh_from_db()
    [item] = run.unplaced
    assert item["proposal"] == big.number and item["reason"] == "no_window"
    from akari.scheduling.selectors import explain

    assert explain(item) == "No 12-shift window of user time on BL02U."


def test_move_checks_conflicts_and_pins(week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        solved(week)
    a, b = ScheduledBlock.objects.filter(period=week.period).order_by("start")

    over_other = services.conflicts(a, b.start)
    on_maintenance = services.conflicts(a, at(2026, 10, 4, 9))
    off_grid = services.conflicts(a, at(2026, 10, 5, 10))

    assert any(b.proposal.number in p for p in over_other)
    assert any("maintenance" in p for p in on_maintenance)
    assert off_grid == ["A block starts at a shift change."]
    with pytest.raises(ValidationError):
        services.block_move(block=a, start=b.start, actor=week.staff)
    a.refresh_from_db()
    assert not a.pinned
    moved = services.block_move(block=a, start=at(2026, 10, 2, 9), actor=week.staff)
    assert moved.pinned and moved.end == at(2026, 10, 4, 9)
    assert AuditEvent.objects.filter(action="scheduling.block_moved").count() == 1


def test_reoptimise_keeps_pinned_blocks(week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        solved(week)
    a, b = ScheduledBlock.objects.filter(period=week.period).order_by("start")
    services.block_remove(block=b, actor=week.staff)
    services.block_move(block=a, start=at(2026, 10, 5, 9), actor=week.staff)

    with django_capture_on_commit_callbacks(execute=True):
        solved(week)

    blocks = {b.proposal_id: b for b in ScheduledBlock.objects.filter(period=week.period)}
    assert blocks[a.proposal_id].start == at(2026, 10, 5, 9)
    other = blocks[b.proposal_id]
    assert other.end <= at(2026, 10, 4, 9) and not other.pinned


def test_swap_two_blocks(week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        solved(week)
    a, b = ScheduledBlock.objects.filter(period=week.period).order_by("start")
    a_start, b_start = a.start, b.start

    services.block_swap(first=a, second=b, actor=week.staff)

    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.start, b.start) == (b_start, a_start)


def test_publish_writes_calendar_experiments_windows_and_tells_teams(
    week, django_capture_on_commit_callbacks
):
    BeamlinePlan.objects.create(period=week.period, beamline=week.beamline, coalition_percent=0)
    with django_capture_on_commit_callbacks(execute=True):
        solved(week)

    count = publishing.period_publish(period=week.period, actor=week.staff)

    week.period.refresh_from_db()
    assert count == 2 and week.period.status == SchedulePeriod.Status.PUBLISHED
    assert Block.objects.filter(kind=Block.Kind.MAINTENANCE, beamline=week.beamline).count() == 1
    experiments = Experiment.objects.filter(beamline=week.beamline).order_by("start")
    assert [e.reference for e in experiments] == sorted(
        [week.first.number, week.second.number],
        key=lambda n: ScheduledBlock.objects.get(proposal__number=n).start,
    )
    assert (
        experiments[0].lead == week.first.created_by
        or experiments[0].lead == week.second.created_by
    )
    assert all(sb.experiment_id for sb in ScheduledBlock.objects.filter(period=week.period))
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert "scheduling.scheduled" in kinds
    assert Notification.objects.filter(kind="scheduling.scheduled").count() == 4  # PI + co-I x2
    with pytest.raises(ValidationError):
        publishing.period_publish(period=week.period, actor=week.staff)


def test_publish_opens_coalition_windows(week, django_capture_on_commit_callbacks):
    BeamlinePlan.objects.create(period=week.period, beamline=week.beamline, coalition_percent=30)
    with django_capture_on_commit_callbacks(execute=True):
        solved(week)

    publishing.period_publish(period=week.period, actor=week.staff)

    windows = BookingWindow.objects.filter(programme="nanoterasu-coalition", beamline=week.beamline)
    assert windows.exists()


def test_publish_refused_from_draft(week):
    with pytest.raises(ValidationError):
        publishing.period_publish(period=week.period, actor=week.staff)
    assert not Block.objects.exists()


def test_cancel_frees_time_audits_and_tells_the_team(week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        solved(week)
    publishing.period_publish(period=week.period, actor=week.staff)
    sb = ScheduledBlock.objects.filter(period=week.period).first()

    publishing.block_cancel(block=sb, actor=week.staff, reason="beam loss")

    sb.refresh_from_db()
    assert sb.status == ScheduledBlock.Status.CANCELLED
    assert sb.experiment.status == Experiment.Status.CANCELLED
    assert Block.objects.get(pk=sb.block_id).released_at is not None
    assert AuditEvent.objects.filter(action="scheduling.block_cancelled").exists()
    assert Notification.objects.filter(kind="scheduling.cancelled").count() == 2
    with pytest.raises(ValidationError):
        publishing.block_cancel(block=sb, actor=week.staff)


def test_calendar_is_frozen_after_publish(week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        solved(week)
    publishing.period_publish(period=week.period, actor=week.staff)

    with pytest.raises(ValidationError):
        services.segment_add(
            period=week.period,
            kind="user",
            start=at(2026, 10, 9, 9),
            end=at(2026, 10, 10, 9),
            actor=week.staff,
        )


def test_schedule_period_command_prints_the_figures(week):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("schedule_period", "2026X", "--time-limit", "1", "--workers", "1", stdout=out)

    text = out.getvalue()
    assert "placed            2 / 2" in text
    assert "bound" in text and "greedy" in text and "gap" in text
    week.period.refresh_from_db()
    assert week.period.status == SchedulePeriod.Status.DRAFT_READY

"""Pages, permissions, feeds (parsed back with icalendar) and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from akari.accounts.roles import Role
from akari.scheduling import publishing, services
from akari.scheduling.models import FeedToken, ScheduledBlock
from tests.factories import UserFactory
from tests.selection.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(week, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        services.solve_request(period=week.period, actor=week.staff)
    publishing.period_publish(period=week.period, actor=week.staff)
    return week


def test_applicants_do_not_see_periods(client, week):
    client.force_login(UserFactory())
    assert client.get(reverse("scheduling:periods")).status_code == 404
    assert client.get(reverse("scheduling:period", args=[week.period.pk])).status_code == 404
    url = reverse("scheduling:solve", args=[week.period.pk])
    assert client.post(url, {"time_limit": 1, "workers": 1}).status_code == 403


def test_beamline_scientist_reads_but_cannot_run(client, week):
    signed_in(client, UserFactory(roles=[Role.BEAMLINE_SCIENTIST]))
    page = client.get(reverse("scheduling:period", args=[week.period.pk]))
    assert page.status_code == 200
    assert b'data-testid="run-solver"' not in page.content
    url = reverse("scheduling:solve", args=[week.period.pk])
    assert client.post(url, {"time_limit": 1, "workers": 1}).status_code == 403


def test_staff_runs_the_solver_from_the_page(client, week, django_capture_on_commit_callbacks):
    signed_in(client, week.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("scheduling:solve", args=[week.period.pk]), {"time_limit": 1, "workers": 1}
        )
    assert response.status_code == 302
    page = client.get(reverse("scheduling:period", args=[week.period.pk]))
    assert page.status_code == 200
    assert page.content.count(b"data-block=") == 2
    assert b'data-testid="run-figures"' in page.content
    status = client.get(reverse("scheduling:run", args=[week.period.pk]))
    assert b"hx-trigger" not in status.content  # finished: polling stops


def test_move_panel_reports_conflicts_instantly(client, week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.solve_request(period=week.period, actor=week.staff)
    a, b = ScheduledBlock.objects.filter(period=week.period).order_by("start")
    signed_in(client, week.staff)
    url = reverse("scheduling:block", args=[a.pk])
    local = b.start.astimezone(dt.timezone(dt.timedelta(hours=9))).strftime("%Y-%m-%dT%H:%M")

    response = client.post(url, {"move-start": local}, headers={"HX-Request": "true"})

    assert b'data-testid="conflicts"' in response.content
    assert b.proposal.number.encode() in response.content
    a.refresh_from_db()
    assert not a.pinned


def test_period_pages_query_counts(client, published, django_assert_max_num_queries):
    signed_in(client, published.staff)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("scheduling:periods")).status_code == 200
    with django_assert_max_num_queries(30):
        assert (
            client.get(reverse("scheduling:period", args=[published.period.pk])).status_code == 200
        )


def test_team_sees_its_dates_and_pi_cancels(client, published):
    pi = published.first.created_by
    client.force_login(pi)
    page = client.get(reverse("scheduling:mine"))
    block = ScheduledBlock.objects.get(proposal=published.first)
    assert published.first.number.encode() in page.content
    assert (
        block.start.astimezone(dt.timezone(dt.timedelta(hours=9)))
        .strftime("%Y-%m-%d %H:%M")
        .encode()
        in page.content
    )
    stranger = UserFactory()
    client.force_login(stranger)
    assert published.first.number.encode() not in client.get(reverse("scheduling:mine")).content
    assert client.post(reverse("scheduling:block_cancel", args=[block.pk])).status_code == 404
    client.force_login(pi)
    response = client.post(reverse("scheduling:block_cancel", args=[block.pk]), {"reason": "ill"})
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.status == ScheduledBlock.Status.CANCELLED


def test_my_beamtime_query_count(client, published, django_assert_max_num_queries):
    client.force_login(published.first.created_by)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("scheduling:mine")).status_code == 200


def _events(body: bytes) -> list:
    calendar = Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def test_person_feed_parses_with_tokyo_times(client, published):
    pi = published.first.created_by
    token = FeedToken.objects.create(person=pi)

    response = client.get(reverse("scheduling:feed_person", args=[token.token]))

    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    block = ScheduledBlock.objects.get(proposal=published.first)
    [event] = events
    start = event.decoded("dtstart")
    assert start == block.start
    assert str(start.tzinfo) == "Asia/Tokyo"
    assert event["dtstart"].params["TZID"] == "Asia/Tokyo"
    assert published.first.title in str(event["summary"])
    assert b"BEGIN:VTIMEZONE" in response.content
    assert client.get(reverse("scheduling:feed_person", args=["nope"])).status_code == 404


def test_public_feeds_hide_proprietary_titles(client, published):
    from akari.beamtime.models import Experiment

    Experiment.objects.filter(reference=published.first.number).update(proprietary=True)

    facility = client.get(reverse("scheduling:feed_facility", args=["nanoterasu"]))
    beamline = client.get(reverse("scheduling:feed_beamline", args=["nanoterasu", "BL02U"]))

    for response in (facility, beamline):
        summaries = [str(e["summary"]) for e in _events(response.content)]
        assert len(summaries) == 2
        assert not any(published.first.title in s for s in summaries)
        assert any(published.second.title in s for s in summaries)


def test_api_schedule_for_staff_only(client, published):
    signed_in(client, published.staff)
    response = client.get(f"/api/v1/scheduling/periods/{published.period.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["period"]["status"] == "published"
    assert len(data["blocks"]) == 2 and data["run"]["placed"] == 2
    client.force_login(UserFactory())
    assert client.get(f"/api/v1/scheduling/periods/{published.period.pk}/").status_code == 404
    assert client.get("/api/v1/scheduling/periods/").json() == []


def test_user_office_edits_periods_in_the_admin(week):
    assert week.staff.has_perm("scheduling.change_scheduleperiod")
    assert week.staff.has_perm("scheduling.view_solverrun")
    assert not week.staff.has_perm("scheduling.change_solverrun")
    assert not UserFactory().has_perm("scheduling.view_scheduleperiod")


def test_calendar_forms_save_through_their_services_and_refuse_bad_input(client, week):
    from akari.scheduling.models import BeamlineOutage, RunSegment

    signed_in(client, week.staff)
    pk = week.period.pk
    segments = RunSegment.objects.filter(period=week.period).count()
    outages = BeamlineOutage.objects.filter(period=week.period).count()

    # invalid input: a message, nothing saved
    for name in ("segment_add", "outage_add", "plan_set"):
        bad = client.post(reverse(f"scheduling:{name}", args=[pk]), {}, follow=True)
        assert bad.status_code == 200
        assert any("correct" in str(m) or "修正" in str(m) for m in bad.context["messages"])
    assert RunSegment.objects.filter(period=week.period).count() == segments
    assert BeamlineOutage.objects.filter(period=week.period).count() == outages

    # others may not post at all
    client.force_login(UserFactory())
    assert client.post(reverse("scheduling:segment_add", args=[pk]), {}).status_code == 403

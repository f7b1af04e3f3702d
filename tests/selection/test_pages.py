"""The committee's pages, actions, export and API: who sees what, what a denial leaves
untouched, and fixed query counts with 1,000 proposals."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from akari.accounts.roles import Role
from akari.proposals.models import BeamlineRequest, Call, CallBeamline, Proposal
from akari.selection.models import WaitlistEntry
from akari.selection.services import decision_record
from tests.factories import UserFactory
from tests.proposals.factories import bulk_proposals
from tests.selection.conftest import signed_in

pytestmark = pytest.mark.django_db

S = Proposal.Status


@pytest.fixture
def scene(closed_call, proposal_maker, ranking):
    """A closed call with a normal and a proprietary proposal at the committee on BL01B1."""
    pi, co, other = UserFactory(), UserFactory(), UserFactory()
    for person in (pi, co, other):
        person.groups.clear()
    normal = proposal_maker(pi=pi, team=[co], beamlines={"BL01B1": 6}, title="Catalyst XAFS")
    secret = proposal_maker(
        route="proprietary_normal", beamlines={"BL01B1": 4}, title="Secret battery"
    )
    ranking.scores = {normal.pk: 4.0}
    make_other = proposal_maker(pi=other, beamlines={"BL14B2": 3}, status=S.SUBMITTED)
    return {
        "call": closed_call,
        "normal": normal,
        "secret": secret,
        "pi": pi,
        "co": co,
        "other": other,
        "other_proposal": make_other,
    }


def people(scene) -> dict[str, object]:
    return {
        "anonymous": None,
        "applicant": scene["pi"],
        "co_investigator": scene["co"],
        "another_applicant": scene["other"],
        "reviewer": UserFactory(roles=[Role.REVIEWER]),
        "beamline_scientist": UserFactory(roles=[Role.BEAMLINE_SCIENTIST]),
        "management": UserFactory(roles=[Role.MANAGEMENT]),
        "user_office": UserFactory(roles=[Role.USER_OFFICE]),
        "system_admin": UserFactory(roles=[Role.SYSTEM_ADMIN]),
    }


OUTSIDERS = ["applicant", "co_investigator", "another_applicant", "reviewer", "beamline_scientist"]
VIEWERS = ["management", "user_office", "system_admin"]
DECIDERS = ["user_office", "system_admin"]


def state(scene) -> tuple:
    call = Call.objects.get(pk=scene["call"].pk)
    return (
        call.status,
        sorted(Proposal.objects.filter(call=call).values_list("pk", "status", "decided_at")),
        sorted(BeamlineRequest.objects.values_list("pk", "units_awarded")),
        WaitlistEntry.objects.count(),
    )


def pages(scene) -> dict[str, str]:
    call = scene["call"]
    return {
        "calls": reverse("selection:calls"),
        "call": reverse("selection:call", args=[call.pk]),
        "committee": reverse("selection:committee", args=[call.pk, "BL01B1"]),
        "csv": reverse("selection:export", args=[call.pk, "csv"]),
        "xlsx": reverse("selection:export", args=[call.pk, "xlsx"]),
    }


def actions(scene) -> dict[str, tuple[str, dict[str, str]]]:
    call = scene["call"]
    decide = reverse("selection:decide", args=[call.pk, "BL01B1", scene["normal"].pk])
    return {
        "decide": (decide, {"outcome": "accepted", "units": "6"}),
        "adopt": (reverse("selection:adopt", args=[call.pk]), {}),
        "publish": (reverse("selection:publish", args=[call.pk]), {}),
        "fill": (reverse("selection:fill-waitlist", args=[call.pk]), {}),
    }


def api_url(scene) -> str:
    return reverse("v1:committee-detail", args=[scene["call"].pk, "BL01B1"])


def client_for(client, who):
    if who is None:
        return client
    return signed_in(client, who)


@pytest.mark.parametrize("role", ["anonymous"])
def test_anonymous_is_sent_to_log_in_and_changes_nothing(client, scene, role):
    before = state(scene)
    for url in pages(scene).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    for url, data in actions(scene).values():
        assert client.post(url, data).status_code == 302
    assert client.get(api_url(scene)).status_code in (401, 403)
    assert state(scene) == before


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_see_no_committee_page_and_change_nothing(client, scene, role):
    who = people(scene)[role]
    client = client_for(client, who)
    before = state(scene)
    urls = pages(scene)

    assert client.get(urls.pop("calls")).status_code == 403
    for url in urls.values():
        assert client.get(url).status_code == 404
    for url, data in actions(scene).values():
        assert client.post(url, data).status_code == 404
    assert client.get(api_url(scene)).status_code == 404
    assert state(scene) == before


def test_management_reads_but_cannot_act(client, scene):
    client = client_for(client, people(scene)["management"])
    before = state(scene)

    for url in pages(scene).values():
        assert client.get(url).status_code == 200
    page = client.get(pages(scene)["committee"]).content.decode()
    assert "Catalyst XAFS" in page
    assert 'name="outcome"' not in page  # no override forms
    for url, data in actions(scene).values():
        assert client.post(url, data).status_code == 403
    assert client.get(api_url(scene)).status_code == 200
    assert state(scene) == before


@pytest.mark.parametrize("role", DECIDERS)
def test_staff_see_the_table_with_the_caps_and_may_override(client, scene, role):
    client = client_for(client, people(scene)[role])
    url = pages(scene)["committee"]

    page = client.get(url).content.decode()

    assert "Catalyst XAFS" in page
    assert "Secret battery" not in page  # proprietary titles stay on the proposal page
    assert "(proprietary proposal)" in page
    assert "at most 40% = 12 shifts" in page
    assert "at most 20% = 6 shifts per group" in page
    assert page.count('name="outcome"') == 2
    response = client.post(*actions(scene)["decide"])
    assert response.status_code == 302
    assert response["Location"] == url
    scene["normal"].refresh_from_db()
    assert scene["normal"].status == S.ACCEPTED
    assert scene["normal"].beamline_requests.get().units_awarded == 6


def test_an_override_that_breaks_a_cap_is_refused_with_the_cap_named(client, scene, user_office):
    client = signed_in(client, user_office)
    other = scene["secret"]
    decision_record(
        proposal=other,
        outcome=S.ACCEPTED,
        awarded={other.beamline_requests.get().beamline: 4},
        actor=user_office,
    )
    before = state(scene)
    call = scene["call"]
    url = reverse("selection:decide", args=[call.pk, "BL01B1", scene["normal"].pk])

    response = client.post(url, {"outcome": "accepted", "units": "7"}, follow=True)

    assert state(scene) == before
    text = response.content.decode()
    assert "7 shifts is more than the 6 shifts the proposal asked for" in text
    assert "would break the single-group cap" in text


def test_an_incomplete_override_is_refused(client, scene, user_office):
    client = signed_in(client, user_office)
    before = state(scene)
    url = reverse("selection:decide", args=[scene["call"].pk, "BL01B1", scene["normal"].pk])

    response = client.post(url, {"outcome": "accepted"}, follow=True)

    assert "Give the beamtime awarded on this beamline." in response.content.decode()
    assert state(scene) == before


def test_a_proposal_of_another_beamline_cannot_be_decided_from_this_table(
    client, scene, user_office
):
    client = signed_in(client, user_office)
    before = state(scene)
    url = reverse("selection:decide", args=[scene["call"].pk, "BL14B2", scene["normal"].pk])

    assert client.post(url, {"outcome": "rejected"}).status_code == 404
    assert state(scene) == before


def test_the_call_page_offers_the_actions_of_its_stage(client, scene, user_office):
    client = signed_in(client, user_office)
    url = pages(scene)["call"]

    page = client.get(url).content.decode()
    assert 'data-testid="adopt"' in page
    assert 'data-testid="fill-waitlist"' not in page
    assert reverse("selection:committee", args=[scene["call"].pk, "BL40XU"]) in page

    scene["other_proposal"].delete()
    client.post(reverse("selection:adopt", args=[scene["call"].pk]))
    response = client.post(reverse("selection:publish", args=[scene["call"].pk]), follow=True)
    assert "Decisions published" in response.content.decode()
    page = client.get(url).content.decode()
    assert 'data-testid="fill-waitlist"' in page
    response = client.post(reverse("selection:fill-waitlist", args=[scene["call"].pk]), follow=True)
    assert "No waitlisted proposal fits the beamtime that is free." in response.content.decode()


def test_publishing_too_early_is_refused_with_a_message(client, scene, user_office):
    client = signed_in(client, user_office)
    before = state(scene)

    response = client.post(reverse("selection:publish", args=[scene["call"].pk]), follow=True)

    assert "have no decision yet" in response.content.decode()
    assert state(scene) == before


def test_the_pages_are_in_japanese_for_japanese_staff(client, scene, user_office):
    client = signed_in(client, user_office, language="ja")

    page = client.get(pages(scene)["committee"]).content.decode()

    assert "選定委員会" in page
    assert "シフト" in page


def test_csv_export_lists_the_ranking(client, scene, user_office):
    client = signed_in(client, user_office)

    response = client.get(pages(scene)["csv"])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ranking-2026B.csv"'
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["Beamline", "Rank", "Proposal", "Title"]
    assert [(r[0], r[1], r[2], r[3]) for r in rows[1:]] == [
        ("BL01B1", "1", scene["secret"].number, "(proprietary proposal)"),
        ("BL01B1", "2", scene["normal"].number, "Catalyst XAFS"),
    ]


def test_excel_export_lists_the_ranking(client, scene, user_office):
    client = signed_in(client, user_office)

    response = client.get(pages(scene)["xlsx"])

    assert response["Content-Disposition"] == 'attachment; filename="ranking-2026B.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Beamline", "Rank", "Proposal"]
    assert [(r[0], r[1], r[2], r[7]) for r in values[1:]] == [
        ("BL01B1", 1, scene["secret"].number, 4),
        ("BL01B1", 2, scene["normal"].number, 6),
    ]


def test_an_unknown_export_format_is_not_found(client, scene, user_office):
    client = signed_in(client, user_office)
    url = reverse("selection:export", args=[scene["call"].pk, "pdf"])

    assert client.get(url).status_code == 404


def test_api_returns_the_committee_table(client, scene, user_office):
    client = signed_in(client, user_office)

    data = client.get(api_url(scene)).json()

    assert {k: data[k] for k in ("call", "beamline", "unit", "units_available")} == {
        "call": "2026B",
        "beamline": "BL01B1",
        "unit": "shift",
        "units_available": 30,
    }
    assert data["priority_and_proprietary_max_units"] == 12
    assert data["single_group_max_units"] == 6
    assert [(r["number"], r["title"], r["proposed_units"]) for r in data["rows"]] == [
        (scene["secret"].number, None, 4),
        (scene["normal"].number, "Catalyst XAFS", 6),
    ]


def test_a_beamline_the_call_does_not_offer_is_not_found(client, scene, user_office):
    client = signed_in(client, user_office)

    assert (
        client.get(reverse("selection:committee", args=[scene["call"].pk, "BL99"])).status_code
        == 404
    )


def test_calls_list_shows_closed_and_decided_calls_only(client, scene, user_office):
    client = signed_in(client, user_office)

    page = client.get(pages(scene)["calls"]).content.decode()

    assert 'data-call="2026B"' in page


# --- Fixed query counts ---------------------------------------------------------------------------


def committee_page_queries(client, call, django_assert_num_queries, expected):
    url = reverse("selection:committee", args=[call.pk, "BL01B1"])
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


COMMITTEE_PAGE_QUERIES = 10


def test_the_committee_table_keeps_its_query_count_with_1000_proposals(
    client, closed_call, ranking, user_office, django_assert_num_queries
):
    client = signed_in(client, user_office)
    bulk_proposals(closed_call, 10, status=S.COMMITTEE, units=1)
    committee_page_queries(client, closed_call, django_assert_num_queries, COMMITTEE_PAGE_QUERIES)

    bulk_proposals(closed_call, 990, status=S.COMMITTEE, units=1)
    response = committee_page_queries(
        client, closed_call, django_assert_num_queries, COMMITTEE_PAGE_QUERIES
    )
    assert response.content.decode().count('name="outcome"') == 1000


CALL_PAGE_QUERIES = 10


def test_the_call_page_keeps_its_query_count_with_1000_proposals(
    client, closed_call, ranking, user_office, django_assert_num_queries
):
    client = signed_in(client, user_office)
    url = reverse("selection:call", args=[closed_call.pk])
    bulk_proposals(closed_call, 1000, status=S.COMMITTEE, units=1)

    with django_assert_num_queries(CALL_PAGE_QUERIES):
        assert client.get(url).status_code == 200


REAL_RANKING_PAGE_QUERIES = 12


def test_the_committee_table_keeps_its_query_count_with_the_reviews_ranking(
    client, closed_call, user_office, django_assert_num_queries
):
    # The reviews app's own beamline_ranking (no stand-in): a fixed number of queries too.
    client = signed_in(client, user_office)
    bulk_proposals(closed_call, 10, status=S.COMMITTEE, units=1)
    committee_page_queries(
        client, closed_call, django_assert_num_queries, REAL_RANKING_PAGE_QUERIES
    )

    bulk_proposals(closed_call, 990, status=S.COMMITTEE, units=1)
    committee_page_queries(
        client, closed_call, django_assert_num_queries, REAL_RANKING_PAGE_QUERIES
    )


def test_the_review_scene_people_see_no_committee_page(client, frozen_clock):
    # The reviews app's scene: a proposal in peer review with its applicant, co-investigator,
    # another applicant, its beamline scientist, an assigned, a conflicted and a declared
    # reviewer. None of them is the committee.
    from tests.reviews.factories import scene as review_scene

    s = review_scene()
    offered = CallBeamline.objects.get(call=s.call, beamline__code="BL01B1")
    urls = [
        reverse("selection:call", args=[s.call.pk]),
        reverse("selection:committee", args=[s.call.pk, "BL01B1"]),
        reverse("selection:export", args=[s.call.pk, "csv"]),
        reverse("v1:committee-detail", args=[s.call.pk, "BL01B1"]),
    ]
    posts = [
        reverse("selection:decide", args=[s.call.pk, "BL01B1", s.proposal.pk]),
        reverse("selection:adopt", args=[s.call.pk]),
        reverse("selection:publish", args=[s.call.pk]),
        reverse("selection:fill-waitlist", args=[s.call.pk]),
    ]
    before = (
        sorted(Proposal.objects.values_list("pk", "status")),
        sorted(BeamlineRequest.objects.values_list("pk", "units_awarded")),
        Call.objects.get(pk=s.call.pk).status,
    )
    people = [
        s.applicant,
        s.co_investigator,
        s.other_applicant,
        s.scientist,
        s.reviewer,
        s.conflicted,
        s.declared,
    ]
    for person in people:
        client.force_login(person)
        assert client.get(reverse("selection:calls")).status_code == 403, person
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
        for url in posts:
            assert client.post(url, {"outcome": "rejected"}).status_code == 404, (person, url)
    assert offered.units_available == 60
    assert (
        sorted(Proposal.objects.values_list("pk", "status")),
        sorted(BeamlineRequest.objects.values_list("pk", "units_awarded")),
        Call.objects.get(pk=s.call.pk).status,
    ) == before
    # and the user office does see it
    client.force_login(s.staff)
    assert client.get(urls[1]).status_code == 200

"""Pages: members see their own things and free/busy only; staff see everything; query counts
of list pages are pinned."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from icalendar import Calendar

from akari.accounts.roles import Role
from akari.coalition import services
from akari.coalition.models import Booking, MemberPerson
from akari.core import clock
from tests.beamtime.factories import at
from tests.coalition.factories import coalition_beamline, member, open_window
from tests.factories import AffiliationFactory, UserFactory


def staff_client(client, role=Role.USER_OFFICE):  # type: ignore[no-untyped-def]
    person = UserFactory(roles=[role])
    TOTP.activate(person, generate_totp_secret())
    client.force_login(person)
    return client


pytestmark = pytest.mark.django_db
ROUND3 = at(2026, 12, 4, 10)


@pytest.fixture
def setup():  # type: ignore[no-untyped-def]
    bl = coalition_beamline()
    open_window(bl)
    gold, (alice,) = member("gold", name_en="Hirose Chemical")
    rival, (bob,) = member("general", name_en="Rival Corp")
    with clock.frozen(ROUND3):
        mine = services.booking_create(
            membership=gold,
            person=alice,
            beamline=bl,
            start=at(2026, 12, 10, 9),
            end=at(2026, 12, 10, 11),
        )
        theirs = services.booking_create(
            membership=rival,
            person=bob,
            beamline=bl,
            start=at(2026, 12, 10, 13),
            end=at(2026, 12, 10, 15),
        )
    return {
        "bl": bl,
        "gold": gold,
        "alice": alice,
        "rival": rival,
        "bob": bob,
        "mine": mine,
        "theirs": theirs,
    }


def test_a_member_sees_own_bookings_never_anothers(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup["alice"])
    with clock.frozen(ROUND3):
        page = client.get(reverse("coalition:bookings")).content.decode()
        grid = client.get(
            reverse("coalition:calendar") + "?beamline=BL07U&month=2026-12"
        ).content.decode()
    assert setup["mine"].reference in page
    rival_names = {"Rival Corp", setup["rival"].organisation.name_ja}
    assert setup["theirs"].reference not in page
    assert not any(name in page or name in grid for name in rival_names)
    assert setup["theirs"].reference not in grid
    assert "★" in grid and "■" in grid


def test_staff_see_every_booking_with_its_member(client, setup) -> None:  # type: ignore[no-untyped-def]
    staff_client(client)
    page = client.get(reverse("coalition:staff-bookings")).content.decode()
    assert setup["rival"].organisation.name_ja in page
    assert setup["gold"].organisation.name_ja in page


@pytest.mark.parametrize(
    "name",
    ["staff-bookings", "staff-windows", "staff-members", "staff-allocation"],
)
def test_staff_pages_are_closed_to_members(client, setup, name) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup["alice"])
    assert client.get(reverse(f"coalition:{name}")).status_code == 403


def test_a_member_cannot_cancel_anothers_booking(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup["alice"])
    with clock.frozen(ROUND3):
        response = client.post(reverse("coalition:cancel", args=[setup["theirs"].pk]))
    assert response.status_code == 404
    setup["theirs"].refresh_from_db()
    assert setup["theirs"].status == Booking.Status.CONFIRMED


def test_member_pages_render(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup["alice"])
    with clock.frozen(ROUND3):
        for name in ("dashboard", "calendar", "book", "bookings", "requests", "waitlist"):
            assert client.get(reverse(f"coalition:{name}")).status_code == 200, name


def test_booking_form_shows_the_round_refusal_and_books_in_round3(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup["alice"])
    data = {
        "membership": setup["gold"].pk,
        "beamline": setup["bl"].pk,
        "day": "2026-12-20",
        "start_hour": 10,
        "hours": 2,
        "use_type": "basic",
    }
    with clock.frozen(ROUND3):
        partial = client.get(
            reverse("coalition:book"), data, HTTP_HX_REQUEST="true"
        ).content.decode()
        assert "Round 2" in partial or "二次募集" in partial
        # the fee estimate of this slot: the member's joining year, the use type, the hours
        assert 'value="nanoterasu-coalition:basic"' in partial
        assert f'name="joining_fiscal_year" value="{setup["gold"].joining_fiscal_year}"' in partial
        assert 'name="hours" min="1" step="1" value="2"' in partial
        refused = client.post(reverse("coalition:book"), data)
        assert refused.status_code == 200
        data["day"] = "2026-12-11"
        done = client.post(reverse("coalition:book"), data)
    assert done.status_code == 302
    assert Booking.objects.filter(membership=setup["gold"]).count() == 2


def test_staff_pages_render_and_pin_queries(client, setup, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    staff_client(client)
    with clock.frozen(ROUND3):
        for name in ("staff-bookings", "staff-windows", "staff-members", "staff-allocation"):
            assert client.get(reverse(f"coalition:{name}")).status_code == 200
        with django_assert_max_num_queries(12):
            client.get(reverse("coalition:staff-bookings"))
        with django_assert_max_num_queries(14):
            client.get(reverse("coalition:staff-members"))


def test_member_list_pages_pin_queries(client, setup, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup["alice"])
    with clock.frozen(ROUND3):
        for n in range(5):
            services.booking_create(
                membership=setup["gold"],
                person=setup["alice"],
                beamline=setup["bl"],
                start=at(2026, 12, 10, 16 + n),
                end=at(2026, 12, 10, 17 + n),
            )
        with django_assert_max_num_queries(12):
            client.get(reverse("coalition:bookings"))
        with django_assert_max_num_queries(12):
            client.get(reverse("coalition:dashboard"))


def test_member_admin_adds_and_removes_people(client, setup) -> None:  # type: ignore[no-untyped-def]
    admin = UserFactory(roles=[Role.MEMBER_ADMIN])
    AffiliationFactory(person=admin, organisation=setup["gold"].organisation)
    MemberPerson.objects.create(
        membership=setup["gold"], person=admin, is_admin=True, can_book=False
    )
    colleague = UserFactory()
    AffiliationFactory(person=colleague, organisation=setup["gold"].organisation)
    client.force_login(admin)
    response = client.post(
        reverse("coalition:people"), {"email": colleague.email, "can_book": "on"}
    )
    assert response.status_code == 302
    row = MemberPerson.objects.get(person=colleague)
    assert row.can_book
    client.post(reverse("coalition:person-change", args=[row.pk, "toggle-booking"]))
    row.refresh_from_db()
    assert not row.can_book
    # An admin of one member cannot touch another member's people.
    other = MemberPerson.objects.get(person=setup["bob"])
    assert (
        client.post(reverse("coalition:person-change", args=[other.pk, "remove"])).status_code
        == 404
    )
    assert MemberPerson.objects.filter(pk=other.pk).exists()


def test_a_plain_member_person_has_no_people_page(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup["alice"])
    assert client.get(reverse("coalition:people")).status_code == 403


def test_the_ical_feed_lists_the_members_bookings_in_tokyo_time(client, setup) -> None:  # type: ignore[no-untyped-def]
    row = MemberPerson.objects.get(person=setup["alice"])
    response = client.get(reverse("coalition:ical", args=[row.calendar_token]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == [f"BL07U {setup['mine'].reference}"]
    start = events[0].decoded("dtstart")
    assert start == at(2026, 12, 10, 9) and str(start.tzinfo) == "Asia/Tokyo"
    assert client.get(reverse("coalition:ical", args=["nope"])).status_code == 404


def test_staff_open_windows_for_weekdays(client, setup) -> None:  # type: ignore[no-untyped-def]
    from akari.beamtime.models import BookingWindow

    staff_client(client)
    bl8 = coalition_beamline("BL08W")
    response = client.post(
        reverse("coalition:staff-windows"),
        {
            "beamline": bl8.pk,
            "first_day": "2027-01-04",
            "last_day": "2027-01-10",
            "from_hour": 9,
            "to_hour": 21,
            "weekdays_only": "on",
            "action": "open",
        },
    )
    assert response.status_code == 302
    assert BookingWindow.objects.filter(beamline=bl8).count() == 5


def test_the_allocation_run_page_shows_the_seed_and_a_matching_replay(client, setup) -> None:  # type: ignore[no-untyped-def]
    from akari.coalition import allocation

    with clock.frozen(at(2026, 10, 20, 10)):
        allocation.request_submit(
            membership=setup["gold"],
            person=setup["alice"],
            beamline=setup["bl"],
            start=at(2026, 12, 21, 10),
            end=at(2026, 12, 21, 12),
            use_type="basic",
        )
    staff_client(client)
    with clock.frozen(at(2026, 11, 2, 10)):
        response = client.post(
            reverse("coalition:staff-allocation"), {"month": "2026-12", "seed": "4242"}
        )
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert "4242" in page and 'data-testid="replay"' in page
    assert "DIFFERS" not in page


def test_management_grants_a_new_fiscal_year_once() -> None:
    from django.core.management import call_command

    from akari.coalition.models import EntitlementAccount

    gold, _people = member("gold")
    with clock.frozen(at(2027, 4, 1, 9)):
        call_command("coalition_grant_entitlements", verbosity=0)
        call_command("coalition_grant_entitlements", fiscal_year=2027, verbosity=0)
    account = EntitlementAccount.objects.get(membership=gold, fiscal_year=2027)
    assert (account.granted, account.available) == (400, 400)


def test_the_dashboard_answers_before_any_coalition_policy_is_loaded(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory())
    response = client.get(reverse("coalition:dashboard"))
    assert response.status_code == 200

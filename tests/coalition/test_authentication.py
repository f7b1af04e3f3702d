"""The booking API reads the token, its user and the user's member rows in one query
(akari.coalition.authentication): the same answers as DRF's token authentication and the ORM's
member rows."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from akari.accounts.models import Organisation
from akari.accounts.services import api_token_regenerate
from akari.coalition import permissions, selectors, services
from akari.coalition.models import Booking, MemberPerson, Membership
from akari.core import clock
from tests.beamtime.factories import at
from tests.coalition.factories import coalition_beamline, member, open_window
from tests.coalition.test_api import URL, _slot, api_for
from tests.factories import AffiliationFactory, UserFactory

pytestmark = pytest.mark.django_db
ROUND3 = at(2026, 12, 4, 10)


@pytest.fixture
def window() -> None:
    open_window(coalition_beamline())


def test_an_unknown_token_gets_drfs_401() -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef", HTTP_ACCEPT_LANGUAGE="en")
    response = api.post(URL, _slot(10), format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Invalid token."}
    assert not Booking.objects.exists()


def test_an_inactive_users_token_gets_drfs_401(window) -> None:  # type: ignore[no-untyped-def]
    _gold, (alice,) = member("gold")
    api = api_for(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    with clock.frozen(ROUND3):
        response = api.post(URL, _slot(10), format="json")
    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}
    assert not Booking.objects.exists()


def test_a_malformed_header_gets_drfs_401() -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token two words", HTTP_ACCEPT_LANGUAGE="en")
    response = api.post(URL, _slot(10), format="json")
    assert response.status_code == 401
    assert "Token string should not contain spaces" in response.json()["detail"]


def test_no_header_gets_401() -> None:
    response = APIClient().post(URL, _slot(10), format="json")
    assert response.status_code == 401
    assert not Booking.objects.exists()


def test_the_token_holders_rows_are_the_orms_member_rows() -> None:
    # Given a person of two members (a booker of one, an administrator without booking right of
    # the other) and a person of none
    _first, (alice,) = member("gold", name_en="Zeta Works")
    second, _ = member("platinum", name_en="Alpha Labs")
    AffiliationFactory(person=alice, organisation=second.organisation, is_primary=False)
    MemberPerson.objects.create(membership=second, person=alice, can_book=False, is_admin=True)
    key = api_token_regenerate(user=alice)
    # When the token is read
    found = selectors.token_holder(key)
    # Then the user, the token and the member rows are those the ORM reads
    assert found is not None
    user, token, rows = found
    assert (user.pk, user.email, user.is_active) == (alice.pk, alice.email, True)
    assert (token.key, token.user_id, token.user) == (key, alice.pk, user)
    alice.refresh_from_db()
    expected = permissions.member_rows(alice)
    assert [row.pk for row in rows] == [row.pk for row in expected]
    assert [r.membership.organisation.name_en for r in rows] == ["Alpha Labs", "Zeta Works"]
    for got, want in zip(rows, expected, strict=True):
        assert (got.can_book, got.is_admin, got.calendar_token, got.created_at) == (
            want.can_book,
            want.is_admin,
            want.calendar_token,
            want.created_at,
        )
        assert got.membership.__dict__.keys() >= {"status", "member_class", "units"}
        assert (got.membership.status, got.membership.member_class, got.membership.joined_on) == (
            want.membership.status,
            want.membership.member_class,
            want.membership.joined_on,
        )
        assert got.membership.organisation.kind == want.membership.organisation.kind
    assert selectors.token_holder("no-such-token") is None
    stranger = UserFactory()
    assert selectors.token_holder(api_token_regenerate(user=stranger))[2] == []  # type: ignore[index]


def test_a_person_of_two_members_books_for_the_one_asked_or_the_first(window) -> None:  # type: ignore[no-untyped-def]
    zeta, (alice,) = member("gold", name_en="Zeta Works")
    alpha, _ = member("platinum", name_en="Alpha Labs")
    AffiliationFactory(person=alice, organisation=alpha.organisation, is_primary=False)
    MemberPerson.objects.create(membership=alpha, person=alice, can_book=True)
    api = api_for(alice)
    with clock.frozen(ROUND3):
        first = api.post(URL, _slot(10), format="json")
        asked = api.post(URL, {**_slot(12), "membership": zeta.pk}, format="json")
    assert (first.status_code, asked.status_code) == (201, 201)
    by_reference = dict(Booking.objects.values_list("reference", "membership_id"))
    assert by_reference[first.json()["reference"]] == alpha.pk  # the first by name
    assert by_reference[asked.json()["reference"]] == zeta.pk


def test_a_member_person_without_booking_right_gets_403(window) -> None:  # type: ignore[no-untyped-def]
    gold, (alice,) = member("gold")
    MemberPerson.objects.filter(membership=gold, person=alice).update(can_book=False)
    with clock.frozen(ROUND3):
        response = api_for(alice).post(URL, _slot(10), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "no_booking_right"
    assert not Booking.objects.exists()


@pytest.mark.parametrize("status", [Membership.Status.SUSPENDED, Membership.Status.ENDED])
def test_a_person_of_an_inactive_member_gets_403(window, status) -> None:  # type: ignore[no-untyped-def]
    gold, (alice,) = member("gold")
    services.membership_set_status(membership=gold, status=status, actor=None)
    with clock.frozen(ROUND3):
        response = api_for(alice).post(URL, _slot(10), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "no_booking_right"
    assert not Booking.objects.exists()


def test_a_group_company_person_books_on_the_groups_membership(window) -> None:  # type: ignore[no-untyped-def]
    group, (alice,) = member("gold", kind=Organisation.Kind.GROUP, name_en="SME Group")
    with clock.frozen(ROUND3):
        response = api_for(alice).post(URL, _slot(10), format="json")
    assert response.status_code == 201
    assert Booking.objects.get().membership_id == group.pk


def test_session_authentication_still_books(window) -> None:  # type: ignore[no-untyped-def]
    _gold, (alice,) = member("gold")
    api = APIClient(enforce_csrf_checks=False)
    api.force_login(alice)
    with clock.frozen(ROUND3):
        response = api.post(URL, _slot(10), format="json")
    assert response.status_code == 201

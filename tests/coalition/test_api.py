"""The API: same services, same refusals (409 taken, 422 rules), idempotency keys, free/busy
without owners."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from akari.accounts.services import api_token_regenerate
from akari.coalition import ledger
from akari.coalition.models import Booking, EntitlementAccount
from akari.core import clock
from tests.beamtime.factories import at
from tests.coalition.factories import coalition_beamline, member, open_window

pytestmark = pytest.mark.django_db
ROUND3 = at(2026, 12, 4, 10)
URL = "/api/v1/coalition/bookings/"


def api_for(person) -> APIClient:  # type: ignore[no-untyped-def]
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_regenerate(user=person)}", HTTP_ACCEPT_LANGUAGE="en"
    )
    return api


@pytest.fixture
def scene():  # type: ignore[no-untyped-def]
    bl = coalition_beamline()
    open_window(bl)
    gold, (alice,) = member("gold")
    rival, (bob,) = member("general")
    return bl, gold, alice, rival, bob


def _slot(hour: int, day: int = 10) -> dict[str, str]:
    return {
        "beamline": "BL07U",
        "start": at(2026, 12, day, hour).isoformat(),
        "end": at(2026, 12, day, hour + 1).isoformat(),
        "use_type": "basic",
    }


def test_book_with_an_idempotency_key_twice_gives_one_booking(scene) -> None:  # type: ignore[no-untyped-def]
    _bl, gold, alice, _rival, _bob = scene
    api = api_for(alice)
    with clock.frozen(ROUND3):
        first = api.post(URL, _slot(10), format="json", HTTP_IDEMPOTENCY_KEY="abc")
        again = api.post(URL, _slot(10), format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    assert Booking.objects.count() == 1
    assert EntitlementAccount.objects.get(membership=gold).booked == 1


def test_a_taken_slot_answers_409_with_the_rule(scene) -> None:  # type: ignore[no-untyped-def]
    _bl, _gold, alice, _rival, bob = scene
    with clock.frozen(ROUND3):
        assert api_for(alice).post(URL, _slot(10), format="json").status_code == 201
        response = api_for(bob).post(URL, _slot(10), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "slot_taken"
    assert ledger.ledger_problems() == []


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (_slot(10, day=20), "round_class"),
        (_slot(10, day=5), "staff_only"),
        ({**_slot(10), "start": at(2026, 12, 10, 10, 30).isoformat()}, "not_aligned"),
    ],
)
def test_rule_refusals_answer_422_in_the_users_language(scene, payload, code) -> None:  # type: ignore[no-untyped-def]
    _bl, _gold, alice, _rival, _bob = scene
    with clock.frozen(ROUND3):
        response = api_for(alice).post(URL, payload, format="json")
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert response.json()["detail"]


def test_round2_refusal_message_names_the_rule(scene) -> None:  # type: ignore[no-untyped-def]
    _bl, _gold, alice, _rival, _bob = scene
    with clock.frozen(ROUND3):
        response = api_for(alice).post(URL, _slot(10, day=20), format="json")
    assert "Round 2 (until 7 days before the slot) is open only to" in response.json()["detail"]


def test_a_non_member_gets_403(scene) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    with clock.frozen(ROUND3):
        response = api_for(UserFactory()).post(URL, _slot(10), format="json")
    assert response.status_code == 403


def test_freebusy_and_lists_never_show_another_members_booking(scene) -> None:  # type: ignore[no-untyped-def]
    _bl, _gold, alice, _rival, bob = scene
    with clock.frozen(ROUND3):
        theirs = api_for(bob).post(URL, _slot(12), format="json").json()["reference"]
        api = api_for(alice)
        mine = api.post(URL, _slot(10), format="json").json()["reference"]
        freebusy = api.get(
            "/api/v1/coalition/freebusy/",
            {
                "beamline": "BL07U",
                "start": at(2026, 12, 10, 0).isoformat(),
                "end": at(2026, 12, 11, 0).isoformat(),
            },
        )
        listing = api.get(URL).json()
    body = freebusy.content.decode()
    assert freebusy.status_code == 200
    assert theirs not in body and mine not in body
    assert len(freebusy.json()["busy"]) == 2
    assert set(freebusy.json()) == {"beamline", "free", "busy"}
    assert [row["reference"] for row in listing] == [mine]


def test_cancel_and_balance(scene) -> None:  # type: ignore[no-untyped-def]
    _bl, _gold, alice, _rival, bob = scene
    with clock.frozen(ROUND3):
        api = api_for(alice)
        created = api.post(URL, _slot(10), format="json").json()
        reference = created["reference"]
        assert api_for(bob).post(f"{URL}{reference}/cancel/").status_code == 404
        cancelled = api.post(f"{URL}{reference}/cancel/")
        balance = api.get("/api/v1/coalition/balance/").json()
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert balance[0]["forfeited"] == 1 and balance[0]["available"] == 399


def test_the_bench_baseline_endpoint_is_off_by_default(scene) -> None:  # type: ignore[no-untyped-def]
    _bl, _gold, alice, _rival, _bob = scene
    response = api_for(alice).post(
        "/api/v1/coalition/bench/naive-bookings/", _slot(10), format="json"
    )
    assert response.status_code == 404

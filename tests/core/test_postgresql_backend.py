"""The PostgreSQL backend's health check (akari.core.postgresql.base): no query for an idle,
quiet connection; Django's ``SELECT 1`` whenever the socket or the session says otherwise; a
connection the server has closed is replaced before the request's first query fails."""

from __future__ import annotations

import select
import time
from typing import Any

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.postgresql import base as django_base

from akari.core.postgresql import base


@pytest.fixture
def django_checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records every call of Django's own check (``SELECT 1``) and its answer."""
    calls: list[bool] = []
    original = django_base.DatabaseWrapper.is_usable

    def spy(self: Any) -> bool:
        calls.append(original(self))
        return calls[-1]

    monkeypatch.setattr(django_base.DatabaseWrapper, "is_usable", spy)
    return calls


def test_settings_select_the_backend() -> None:
    assert isinstance(connections[DEFAULT_DB_ALIAS], base.DatabaseWrapper)
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_an_idle_quiet_connection_is_usable_without_a_query(django_checks: list[bool]) -> None:
    connection.ensure_connection()
    assert connection.is_usable() is True
    assert django_checks == []


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_django_checks(django_checks: list[bool]) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        assert connection.is_usable() is True
    assert django_checks == [True]


def test_no_connection_is_not_usable() -> None:
    wrapper = base.DatabaseWrapper(connection.settings_dict, alias="unused")
    assert wrapper.is_usable() is False


def _terminate(pid: int) -> None:
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _wait_readable(fileno: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if select.select([fileno], [], [], 0.1)[0]:
            return
    raise AssertionError("the server did not close the session")


@pytest.mark.django_db(transaction=True)
def test_a_session_the_server_closed_is_replaced(django_checks: list[bool]) -> None:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    _terminate(pid)
    _wait_readable(connection.connection.fileno())

    assert connection.is_usable() is False
    assert django_checks == [False]  # the socket was readable: Django's check confirmed it

    # What a request does before its first query: the dead session is closed, and the query
    # runs on a new one instead of failing.
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid

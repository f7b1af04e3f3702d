"""Shared fixtures. Tests run on PostgreSQL (``make test`` sets DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.conf import settings

from akari.core import clock
from tests.factories import UserFactory


def pytest_configure(config: pytest.Config) -> None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        pytest.exit(
            "Akari's tests run on PostgreSQL: use `make test`, or set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/akari",
            returncode=2,
        )
    # Tests create hundreds of users: a fast hasher instead of PBKDF2 (about 1 s per user on
    # the shared CI machine). Never used outside tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen_clock() -> Iterator[dt.datetime]:
    """The clock frozen at 2026-04-01 09:00 Asia/Tokyo (start of FY2026)."""
    instant = dt.datetime(2026, 4, 1, 9, 0, tzinfo=clock.TOKYO)
    with clock.frozen(instant):
        yield instant


@pytest.fixture
def user(db):  # type: ignore[no-untyped-def]
    return UserFactory()

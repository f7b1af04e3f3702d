"""Fixtures of the notification tests: recipients in each language, tasks run at once, and a
mail server that fails on demand."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.notifications.mailers import FlakyBackend

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def ja_person(db):  # type: ignore[no-untyped-def]
    return UserFactory(
        email="hana@example.jp",
        family_name_ja="佐藤",
        given_name_ja="花",
        family_name="Sato",
        given_name="Hana",
        preferred_language="ja",
    )


@pytest.fixture
def en_person(db):  # type: ignore[no-untyped-def]
    return UserFactory(
        email="alice@example.org",
        family_name="Smith",
        given_name="Alice",
        family_name_ja="スミス",
        given_name_ja="アリス",
        preferred_language="en",
    )


@pytest.fixture
def immediate_tasks(settings):  # type: ignore[no-untyped-def]
    """Tasks run synchronously when enqueued (django.tasks' ImmediateBackend)."""
    settings.TASKS = IMMEDIATE
    return settings


@pytest.fixture
def database_tasks(settings):  # type: ignore[no-untyped-def]
    """The production backend: enqueued tasks become DBTaskResult rows for a worker."""
    settings.TASKS = DATABASE
    return settings


@pytest.fixture
def flaky_mail(settings, mailoutbox):  # type: ignore[no-untyped-def]
    """The default mailer fails ``FlakyBackend.failures_left`` times, then delivers."""
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.mailers.FlakyBackend"}}
    FlakyBackend.failures_left = 0
    FlakyBackend.attempts = 0
    yield FlakyBackend
    FlakyBackend.failures_left = 0
    FlakyBackend.attempts = 0

"""Fixtures of the reviews tests."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from tests.reviews.factories import scene as build_scene


@pytest.fixture
def scene(db, frozen_clock) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    return build_scene()


@pytest.fixture
def login() -> Callable[[Any], Client]:
    """A fresh client logged in as ``person`` (None: anonymous), browsing in English."""

    def make(person: Any) -> Client:
        client = Client()
        if person is not None:
            client.force_login(person)
        client.cookies["akari_language"] = "en"
        return client

    return make

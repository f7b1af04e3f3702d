"""Fixtures of the proposals tests: real packs, an open SPring-8 call, people in each role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import translation

from akari.accounts.roles import Role
from akari.proposals.models import Call
from tests.factories import UserFactory
from tests.proposals.factories import CallFactory, loaded_packs


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """Service messages in English unless a test says otherwise (pages use the cookie)."""
    with translation.override("en"):
        yield


@pytest.fixture
def packs(db, frozen_clock):  # type: ignore[no-untyped-def]
    """SPring-8 and NanoTerasu with the three packs loaded; the clock at 2026-04-01 09:00."""
    return loaded_packs()


@pytest.fixture
def call(packs) -> Call:  # type: ignore[no-untyped-def]
    """An open SPring-8 call 2026B (period from 2026-10-01, deadline 2026-04-17 17:00)."""
    return CallFactory(code="2026B", beamlines={"BL01B1": 60, "BL14B2": 45, "BL40XU": 30})


@pytest.fixture
def nano_call(packs) -> Call:  # type: ignore[no-untyped-def]
    """An open NanoTerasu shared-use call (3 shifts or more in 3s, 2 experimenters)."""
    return CallFactory(
        pack="nanoterasu-shared", code="NT2026B", beamlines={"BL02U": 60, "BL13U": 60}
    )


def staff_user(*roles: str):  # type: ignore[no-untyped-def]
    person = UserFactory(roles=list(roles))
    TOTP.activate(person, generate_totp_secret())
    return person


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    """User-office staff (with TOTP, so the MFA middleware lets them in)."""
    return staff_user(Role.USER_OFFICE)


def client_for(person, language: str = "en") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if person is not None:
        client.force_login(person)
    client.cookies["akari_language"] = language
    return client


@pytest.fixture
def as_user():  # type: ignore[no-untyped-def]
    """``as_user(person)`` -> a test client logged in as ``person`` (English pages)."""
    return client_for


@pytest.fixture
def people(db) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    return SimpleNamespace(
        pi=UserFactory(),
        co=UserFactory(),
        other=UserFactory(),
        scientist=staff_user(Role.BEAMLINE_SCIENTIST),
        office=staff_user(Role.USER_OFFICE),
    )

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from akari.facility.models import Facility
from akari.policies.reader import PACK_DIR
from tests.policies.factories import pack_catalogue


@pytest.fixture
def catalogue(db) -> dict[str, Facility]:  # type: ignore[no-untyped-def]
    return pack_catalogue()


@pytest.fixture
def loaded(catalogue, frozen_clock):  # type: ignore[no-untyped-def]
    """The three shipped packs loaded, the clock on 2026-04-01 (their first day in force)."""
    call_command("load_policy", all=True, stdout=io.StringIO())
    return catalogue


@pytest.fixture
def spring8_text() -> str:
    return (PACK_DIR / "spring8.yaml").read_text(encoding="utf-8")


@pytest.fixture
def write_pack(tmp_path: Path) -> Callable[..., Path]:
    def write(text: str, name: str = "pack.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write

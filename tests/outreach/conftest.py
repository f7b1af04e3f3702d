from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from akari.core import clock
from tests.outreach.factories import NOW


@pytest.fixture
def now() -> Iterator[object]:
    """1 December 2026, 09:00 in Tokyo: registration of the factory's event is open."""
    with clock.frozen(NOW) as instant:
        yield instant


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Refusal messages are matched in English (pages set their own language per request)."""
    with translation.override("en"):
        yield

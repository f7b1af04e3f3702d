from __future__ import annotations

from collections.abc import Iterator

import pytest

from akari.coalition import policy


@pytest.fixture(autouse=True)
def _fresh_policy_cache() -> Iterator[None]:
    policy.clear_cache()
    yield
    policy.clear_cache()

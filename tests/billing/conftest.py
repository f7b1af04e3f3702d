"""A Playwright browser for the billing journey, closed after each test (so it never overlaps
the session-wide browser of tests/browser, which runs later in the same thread)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()

"""Playwright's browser fixture for the billing journey (shared with tests/browser)."""

from tests.browser.conftest import browser  # noqa: F401

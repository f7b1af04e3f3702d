"""The web process's gunicorn settings (``gunicorn.conf.py``): gunicorn accepts every one of
them, and they are the ones the README and the booking-storm benchmark describe."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from gunicorn.config import Config

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def _load(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    for name in ("WEB_CONCURRENCY", "AKARI_BIND", "AKARI_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(CONF))
    config = Config()
    for name, value in settings.items():
        if name in config.settings:
            config.set(name, value)  # gunicorn validates each value
    return {name: config.settings[name].get() for name in config.settings}


def test_sync_workers_four_per_core_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    config = _load(monkeypatch)
    assert config["worker_class"] == "sync"
    assert config["workers"] == 4 * multiprocessing.cpu_count()
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["accesslog"] is None
    assert config["max_requests"] > config["max_requests_jitter"] > 0


def test_environment_sets_processes_address_and_access_log(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = _load(
        monkeypatch, WEB_CONCURRENCY="3", AKARI_BIND="0.0.0.0:9000", AKARI_ACCESS_LOG="-"
    )
    assert config["workers"] == 3
    assert config["bind"] == ["0.0.0.0:9000"]
    assert config["accesslog"] == "-"


def test_a_worker_freezes_what_it_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    settings = runpy.run_path(str(CONF))
    config = Config()
    config.set("post_worker_init", settings["post_worker_init"])  # gunicorn checks its arity
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        config.post_worker_init(object())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()

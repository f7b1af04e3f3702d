"""akari.core.sqlchain: a row written from its values (insert_row) is the row written from an
instance (insert): the same columns, defaults, auto_now times and database values."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import models
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from akari.beamtime.models import Block, Experiment
from akari.coalition.models import Booking, LedgerEntry
from akari.core.models import AuditEvent
from akari.core.sqlchain import Chain, _row_plan

NOW = dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)
START = dt.datetime(2026, 12, 10, 10, 0, tzinfo=dt.UTC)

CASES: list[tuple[type[models.Model], dict[str, Any], dict[str, str]]] = [
    (
        Block,
        {
            "beamline_id": 3,
            "end_station_id": None,
            "start": START,
            "end": START + dt.timedelta(hours=1),
            "kind": Block.Kind.BOOKING,
            "label": "Storm",
            "created_by_id": 7,
        },
        {},
    ),
    (
        Experiment,
        {
            "beamline_id": 3,
            "end_station_id": 4,
            "start": START,
            "end": START + dt.timedelta(hours=2),
            "programme": "nanoterasu-coalition",
            "route": "basic",
            "proprietary": True,
            "lead_id": 7,
            "organisation_id": None,
        },
        {"block_id": "blk.id", "reference": "'C2612-' || blk.id"},
    ),
    (
        AuditEvent,
        {
            "actor_id": None,
            "action": "coalition.booked",
            "content_type_id": 5,
            "detail": {"round": 3, "source": "direct"},
            "at": NOW,
        },
        {"object_id": "bk.id::text"},
    ),
    (
        LedgerEntry,
        {
            "posting": uuid.UUID(int=5),
            "kind": LedgerEntry.Kind.BOOK,
            "bucket": "available",
            "hours": -2,
            "at": NOW,
            "actor_id": 7,
            "note": "",
        },
        {"account_id": "bk.account_id", "booking_id": "bk.id"},
    ),
    (Booking, {"membership_id": 1, "booked_by_id": 7, "beamline_id": 3, "hours": 1}, {}),
]


@pytest.mark.parametrize(("model", "values", "exprs"), CASES)
def test_a_row_from_values_is_the_row_from_an_instance(monkeypatch, model, values, exprs) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(timezone, "now", lambda: NOW)  # auto_now / auto_now_add
    from_instance = Chain().insert(
        "x", model(**values), source="prev", exprs=dict(exprs), returning="id"
    )
    from_values = Chain().insert_row("x", model, values, source="prev", exprs=exprs)
    assert from_values.steps == from_instance.steps
    assert _plain(from_values.params) == _plain(from_instance.params)
    assert _row_plan(model, _connection()) is not None  # (the plan, not the fallback)


def test_a_model_with_pre_save_receivers_is_written_from_an_instance() -> None:
    # DBTaskResult's run_after default comes from a pre_save receiver
    from django.db import connection

    assert _row_plan(DBTaskResult, connection) is None
    row = Chain().insert_row(
        "task",
        DBTaskResult,
        {"id": uuid.UUID(int=9), "task_path": "x.y", "queue_name": "default"},
        returning="",
    )
    assert "run_after" in row.steps[0]


def test_an_unknown_value_is_refused() -> None:
    with pytest.raises(TypeError, match="no field beamline"):
        Chain().insert_row("x", Block, {"beamline": 3})
    with pytest.raises(ValueError, match="no column"):
        Chain().insert_row("x", Block, {}, exprs={"nonsense": "1"})


def test_null_is_written_inline_and_equal_values_share_a_placeholder() -> None:
    chain = Chain().raw("a", "SELECT %s, %s, %s, %s", [None, 1, 1, "1"])
    assert chain.steps == ["a AS (SELECT NULL, %(p0)s, %(p0)s, %(p1)s)"]
    assert chain.params == {"p0": 1, "p1": "1"}


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters with psycopg's JSON wrappers opened (they compare by identity)."""
    return {k: (type(v), getattr(v, "obj", v)) for k, v in params.items()}


def _connection() -> Any:
    from django.db import connections

    return connections["default"]

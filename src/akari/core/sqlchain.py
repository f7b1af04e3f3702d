"""One-statement writes on PostgreSQL: a chain of data-modifying CTEs built from model instances.

A hot path that writes several related rows (a member booking writes a block, an experiment,
the booking, two ledger entries, two audit rows and a task row) pays one database round trip
per row through the ORM. :class:`Chain` writes them in **one statement**: each row is an
unsaved model instance turned into ``name AS (INSERT INTO table (columns) SELECT values FROM
previous RETURNING ...)``, where a column may take an SQL expression over an earlier step
(e.g. ``block_id`` from the block just inserted). The statement is atomic on its own (in
autocommit mode it is its own transaction; inside ``transaction.atomic()`` it joins the
caller's), and every constraint of the tables applies as for the ORM.

The models stay the one source of truth: columns, defaults (``pre_save``) and database
conversions (``get_db_prep_save``) come from the fields, ``pre_save`` receivers run, and every
value is a typed parameter (``post_save`` is not sent: Akari keeps no domain logic in signals).
:meth:`Chain.insert_row` writes the same row from a dict of values without making the instance
(cheaper on a hot path; a model with ``pre_save`` receivers still goes through an instance).
A step whose source yields no row inserts nothing, and neither does any step after it: a
guard step (an ``UPDATE ... WHERE enough RETURNING``) refuses the whole chain without an
exception. PostgreSQL only (data-modifying CTEs); other databases use the ORM path.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import signals
from django.db.models.fields import Field

# Values that may share a placeholder: typed by psycopg, or text (NULL is written inline: its
# type comes from each column it goes to).
_SHARED = (int, str, bool, dt.datetime, dt.date, uuid.UUID, Decimal)


@dataclass(frozen=True)
class _Table:
    """What an insert needs of a model, read once per process and database: the quoted table
    name and, per concrete field, its quoted column and whether its ``pre_save`` is Django's
    plain read of the attribute (most fields; ``auto_now`` and the like are not)."""

    table: str
    fields: tuple[tuple[Field[Any, Any], str, str, bool], ...]  # field, attname, column, plain


_TABLES: dict[tuple[type[models.Model], str], _Table] = {}


def _table(model: type[models.Model], conn: Any) -> _Table:
    key = (model, conn.alias)
    found = _TABLES.get(key)
    if found is None:
        quote = conn.ops.quote_name
        found = _TABLES[key] = _Table(
            table=quote(model._meta.db_table),
            fields=tuple(
                (f, f.attname, quote(str(f.column)), type(f).pre_save is Field.pre_save)
                for f in model._meta.concrete_fields
            ),
        )
    return found


@dataclass(frozen=True)
class _RowPlan:
    """How :meth:`Chain.insert_row` makes a model's row without an instance, read once per
    process and database: per concrete field its default when not given (``None``: call
    ``get_default()`` each time, for a callable default) and that default converted for the
    database (for a field whose ``pre_save`` is the plain read)."""

    table: _Table
    attnames: frozenset[str]
    defaults: tuple[tuple[bool, Any, Any], ...]  # (constant?, default, its database value)


_PLANS: dict[tuple[type[models.Model], str], _RowPlan | None] = {}
_NO_VALUE = object()


def _row_plan(model: type[models.Model], conn: Any) -> _RowPlan | None:
    """The model's plan, or None when a row needs the instance: a ``pre_save`` receiver, or
    a field whose ``pre_save`` is neither the plain read nor a date/time field's ``auto_now``
    (which reads and sets only its own attribute)."""
    key = (model, conn.alias)
    if key in _PLANS:
        return _PLANS[key]
    table = _table(model, conn)
    plan: _RowPlan | None = None
    simple = all(
        plain or isinstance(f, (models.DateField, models.TimeField))
        for f, _attname, _column, plain in table.fields
    )
    if simple and not signals.pre_save.has_listeners(model):
        defaults = []
        for f, _attname, _column, plain in table.fields:
            constant = not (f.has_default() and callable(f.default))
            default = f.get_default() if constant else None
            converted = (
                f.get_db_prep_save(default, connection=conn) if constant and plain else _NO_VALUE
            )
            defaults.append((constant, default, converted))
        plan = _RowPlan(
            table=table,
            attnames=frozenset(attname for _f, attname, _c, _p in table.fields),
            defaults=tuple(defaults),
        )
    _PLANS[key] = plan
    return plan


def _connection(connection: Any) -> Any:
    """The connection object itself (``django.db.connection`` is a proxy that looks the
    connection up on every attribute access)."""
    return connection if connection is not None else connections[DEFAULT_DB_ALIAS]


class _StandIn:
    """The one attribute a date/time field's ``pre_save`` reads (and, for ``auto_now``,
    sets), in place of a model instance."""

    def __init__(self, attname: str, value: Any) -> None:
        setattr(self, attname, value)


@dataclass
class Chain:
    steps: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    _names: dict[tuple[type, Any], str] = field(default_factory=dict)

    def _placeholder(self, value: Any) -> str:
        """A named placeholder; equal plain values share one, and NULL is written as such, so
        that a chain has few distinct parameters: psycopg caches the parsing of a statement of
        at most 50 parameters and 4,096 characters (a booking's chain is about 40 and 3,300).
        An untyped NULL in the SELECT of an INSERT takes the column's type, as a NULL parameter
        does."""
        if value is None:
            return "NULL"
        key = (type(value), value) if isinstance(value, _SHARED) else None
        if key is not None and key in self._names:
            return self._names[key]
        name = f"p{len(self.params)}"
        self.params[name] = value
        placeholder = f"%({name})s"
        if key is not None:
            self._names[key] = placeholder
        return placeholder

    def _bind(self, sql: str, params: Sequence[Any]) -> str:
        """``sql`` with its positional ``%s`` placeholders named."""
        pieces = sql.split("%s")
        if len(pieces) != len(params) + 1:
            raise ValueError("placeholders and parameters differ in number")
        out = [pieces[0]]
        for value, piece in zip(params, pieces[1:], strict=True):
            out += [self._placeholder(value), piece]
        return "".join(out)

    def raw(self, name: str, sql: str, params: Sequence[Any] = ()) -> Chain:
        """A hand-written step (``sql`` is the CTE body, with ``%s`` placeholders)."""
        self.steps.append(f"{name} AS ({self._bind(sql, params)})")
        return self

    def insert(
        self,
        name: str,
        instance: models.Model,
        *,
        source: str | None = None,
        exprs: dict[str, str | tuple[str, Sequence[Any]]] | None = None,
        returning: str = "id",
        connection: Any = None,
    ) -> Chain:
        """``INSERT`` ``instance`` (unsaved; its primary key comes from the database) selecting
        from the step ``source``; ``exprs`` maps a column to an SQL expression over it (or to
        ``(expression, params)`` when it has placeholders)."""
        conn = _connection(connection)
        exprs = dict(exprs or {})
        meta = instance._meta
        table = _table(meta.concrete_model or type(instance), conn)
        # As Model.save_base does before an insert (e.g. the task backend's run_after default).
        signals.pre_save.send(
            sender=meta.concrete_model,
            instance=instance,
            raw=False,
            using=conn.alias,
            update_fields=None,
        )
        columns: list[str] = []
        values: list[str] = []
        for f, attname, column, plain in table.fields:
            if f.primary_key and getattr(instance, attname) is None:
                continue
            columns.append(column)
            if f.column in exprs:
                values.append(self._expr(exprs.pop(f.column)))
                continue
            # No cast: an untyped value in the SELECT of an INSERT takes the column's type.
            value = getattr(instance, attname) if plain else f.pre_save(instance, True)
            values.append(self._placeholder(f.get_db_prep_save(value, connection=conn)))
        return self._insert_step(name, table, columns, values, exprs, source, returning)

    def insert_row(
        self,
        name: str,
        model: type[models.Model],
        values: dict[str, Any],
        *,
        source: str | None = None,
        exprs: dict[str, str | tuple[str, Sequence[Any]]] | None = None,
        returning: str = "id",
        connection: Any = None,
    ) -> Chain:
        """:meth:`insert` of ``model(**values)`` without making the instance (the booking hot
        path writes six such rows): ``values`` maps attribute names (``beamline_id``, not
        ``beamline``) to values; every other field takes its default, ``auto_now`` fields the
        time, and every value is converted by its field, as :meth:`insert` does (a test
        compares the two). A model with ``pre_save`` receivers or another kind of
        ``pre_save`` goes through :meth:`insert` with an instance."""
        conn = _connection(connection)
        plan = _row_plan(model, conn)
        if plan is None:
            return self.insert(
                name,
                model(**values),
                source=source,
                exprs=exprs,
                returning=returning,
                connection=conn,
            )
        unknown = values.keys() - plan.attnames
        if unknown:
            raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
        exprs = dict(exprs or {})
        columns: list[str] = []
        out: list[str] = []
        for (f, attname, column, plain), (constant, default, converted) in zip(
            plan.table.fields, plan.defaults, strict=True
        ):
            given = attname in values
            if given:
                value = values[attname]
            elif f.column in exprs and not f.primary_key:
                value = None  # (its default would not be used)
            else:
                value = default if constant else f.get_default()
            if f.primary_key and value is None:
                continue
            columns.append(column)
            if f.column in exprs:
                out.append(self._expr(exprs.pop(f.column)))
                continue
            if not plain:  # auto_now and the like: the field's own pre_save on a stand-in
                value = f.pre_save(_StandIn(attname, value), True)  # type: ignore[arg-type]
            elif not given and constant:
                out.append(self._placeholder(converted))
                continue
            out.append(self._placeholder(f.get_db_prep_save(value, connection=conn)))
        return self._insert_step(name, plan.table, columns, out, exprs, source, returning)

    def _expr(self, expr: str | tuple[str, Sequence[Any]]) -> str:
        return self._bind(*expr) if isinstance(expr, tuple) else expr

    def _insert_step(
        self,
        name: str,
        table: _Table,
        columns: list[str],
        values: list[str],
        unused: dict[str, Any],
        source: str | None,
        returning: str,
    ) -> Chain:
        if unused:
            raise ValueError(f"{table.table} has no column {', '.join(unused)}")
        # Identifiers come from the model's metadata and the caller's code, never from input;
        # every value is a parameter.
        body = (
            f"INSERT INTO {table.table} ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(values)}"
            + (f" FROM {source}" if source else "")
            + (f" RETURNING {returning}" if returning else "")
        )
        self.steps.append(f"{name} AS ({body})")
        return self

    def sql(self, final: str) -> str:
        return "WITH " + ",\n".join(self.steps) + "\n" + final

    def run(self, final: str, connection: Any = None) -> list[tuple[Any, ...]]:
        """Execute the chain ending with ``final`` (a ``SELECT`` over its steps)."""
        with _connection(connection).cursor() as cursor:
            cursor.execute(self.sql(final), self.params)
            return list(cursor.fetchall())


def enqueues_in_statement(task: Any) -> bool:
    """Whether :func:`enqueue_step` can enqueue ``task`` (its backend is ``django-tasks-db``'s)."""
    from django.tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[task.backend], DatabaseBackend)


def enqueue_step(
    chain: Chain, name: str, task: Any, *, source: str, args: str, connection: Any = None
) -> bool:
    """Enqueue ``task`` as a step: the task row of the ``django-tasks-db`` backend (an outbox:
    the worker sees it only once the statement commits), called with the positional ``args``,
    an SQL expression over the step ``source`` that builds a JSON array (e.g.
    ``"jsonb_build_array(bk.id)"``). Built as the backend's own ``enqueue`` builds it. Returns
    False, adding nothing, when the task's backend is another one (the caller then enqueues
    through ``task.enqueue``)."""
    from django.tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    if not enqueues_in_statement(task):
        return False
    backend: Any = task_backends[task.backend]  # a DatabaseBackend (checked above)
    backend.validate_task(task)
    row: Any = DBTaskResult(
        id=backend._get_id(),
        args_kwargs={"args": [], "kwargs": {}},
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after,
        backend_name=backend.alias,
    )
    chain.insert(
        name,
        row,
        source=source,
        exprs={"args_kwargs": f"jsonb_build_object('args', {args}, 'kwargs', '{{}}'::jsonb)"},
        returning="",
        connection=connection,
    )
    return True

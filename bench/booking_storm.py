"""Booking storm: member bookings under gunicorn and PostgreSQL, against a naive baseline.

    .venv/bin/python bench/booking_storm.py [--clients 200] [--workers 8]
                                            [--worker-class sync] [--threads 16]
                                            [--seconds 20] [--members 60] [--hot 300]
                                            [--warmup 3]

1. Drops and creates its own database (``akari_bench_storm`` on the server of ``DATABASE_URL``,
   default ``postgres://postgres@127.0.0.1:5432``), migrates it, loads NanoTerasu and the
   coalition pack, seeds ``--members`` platinum members (10 units each: every member has far
   more hours than it can book) with one booker and an API token each, and opens January 2027
   on the seven coalition beamlines, every day 09:00-24:00 JST: the storm books 09:00-21:00
   (2,604 one-hour slots), the warm-up 21:00-24:00.
2. Starts gunicorn with the repository's ``gunicorn.conf.py`` (sync workers: ``--workers``
   processes, one database connection each; ``--worker-class gthread`` with ``--threads`` per
   process for comparison) with the clock frozen by ``AKARI_FROZEN_NOW`` at
   2026-12-25 09:00 JST: round 3 is open for the first days of January and round 2 (open to
   platinum members) for the rest, so every slot of the month is bookable by these members.
3. Warm-up (``--warmup``, default 3): before the storms every client books that many slots
   outside the storm's hours (21:00-24:00 JST, also open; each request its own slot, so every
   one is a 201), so that every worker has opened its database connection, loaded its URLconf
   and caches and run the whole booking path once, and every database session has run the
   booking statement's inserts and checks (its plans, its indexes' pages), before the clock
   starts: the figures are those of a running server (the baseline, which runs second, always
   met a warm one). The overlap and ledger checks cover these bookings too. ``--warmup 0``
   measures from a cold start.
4. ``--clients`` concurrent clients (asyncio, one connection each, token auth; when the server
   closes it, as a sync worker does after every answer, the client reconnects before its next
   request and the connection's set-up counts in that request's latency) book
   one-hour slots through ``POST /api/v1/coalition/bookings/``, each picking at random among the
   ``--hot`` earliest slots it still believes free (300: a few days of the month at a time), so
   they collide often; a 201 or a 409 removes the slot from the client's view. The storm stops
   when the month is full or after ``--seconds``.
5. Checks: double bookings (an overlap self-join on ``beamtime_block``), ledger errors
   (``ledger_problems()``), requests without a definitive answer (transport errors, timeouts)
   or with a 5xx.
6. Runs the same storm against the naive baseline (``bench_baseline.NaiveBookingView``: a
   Python overlap check then an insert into a table without the exclusion constraint), and
   counts its double bookings with the same self-join: it must show the race.

The last line is machine-readable. No thresholds are asserted: the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
TOKYO = ZoneInfo("Asia/Tokyo")
DB_NAME = "akari_bench_storm"
FROZEN_NOW = "2026-12-25T09:00:00+09:00"
MONTH = (2027, 1)
HOURS = range(9, 21)  # the storm's slots
WARM_HOURS = range(21, 24)  # the warm-up's
PORT = 8765
LOG = Path("/tmp/booking_storm_gunicorn.log")
BEAMLINES = ["BL07U", "BL08W", "BL08U", "BL09W", "BL09U", "BL10U", "BL14U"]

OVERLAPS = """
    SELECT count(*) FROM {table} a JOIN {table} b
      ON a.{beamline} = b.{beamline} AND a.id < b.id
     WHERE {active} tstzrange(a.start, a."end") && tstzrange(b.start, b."end")
"""


def server_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/akari")
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def recreate_database() -> str:
    import psycopg

    admin = f"{server_url()}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [DB_NAME],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return f"{server_url()}/{DB_NAME}"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akari.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def seed(members: int) -> list[str]:
    """Members with a booker and a token each; January 2027 open. Returns the tokens."""
    import io

    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from akari.accounts.models import Affiliation, Organisation, User
    from akari.beamtime.services import window_open
    from akari.coalition import services
    from akari.coalition.models import MemberPerson
    from akari.core import clock
    from akari.facility.models import Beamline

    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("load_facility", "nanoterasu", verbosity=0, stdout=quiet)
    call_command("load_policy", "nanoterasu-coalition", verbosity=0, stdout=quiet)
    tokens = []
    with clock.frozen(dt.datetime(2026, 12, 1, 9, tzinfo=TOKYO)):
        for n in range(members):
            org = Organisation.objects.create(
                name_en=f"Storm Member {n}",
                name_ja=f"ストーム会員{n}",
                kind=Organisation.Kind.COMPANY,
                sector=Organisation.Sector.INDUSTRY,
            )
            membership = services.membership_create(
                organisation=org,
                member_class="platinum",
                units=10,
                joined_on=dt.date(2026, 4, 1),
                actor=None,
            )
            person = User.objects.create_user(f"storm{n}@bench.example", None)
            Affiliation.objects.create(person=person, organisation=org)
            MemberPerson.objects.create(membership=membership, person=person, can_book=True)
            tokens.append(Token.objects.create(user=person).key)
        year, month = MONTH
        for code in BEAMLINES:
            beamline = Beamline.objects.get(facility__code="nanoterasu", code=code)
            day = dt.date(year, month, 1)
            while day.month == month:
                base = dt.datetime(day.year, day.month, day.day, tzinfo=TOKYO)
                window_open(
                    beamline=beamline,
                    programme="nanoterasu-coalition",
                    start=base + dt.timedelta(hours=HOURS.start),
                    end=base + dt.timedelta(hours=WARM_HOURS.stop),
                    actor=None,
                )
                day += dt.timedelta(days=1)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_naive_block (id bigserial PRIMARY KEY, beamline varchar(20) "
            'NOT NULL, start timestamptz NOT NULL, "end" timestamptz NOT NULL, person_id bigint)'
        )
    return tokens


def slots(hours: range = HOURS) -> list[tuple[str, dt.datetime]]:
    year, month = MONTH
    out = []
    day = dt.date(year, month, 1)
    while day.month == month:
        for hour in hours:
            start = dt.datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)
            out.extend((code, start) for code in BEAMLINES)
        day += dt.timedelta(days=1)
    return out


def start_server(
    url: str, workers: int, worker_class: str, threads: int
) -> subprocess.Popen[bytes]:
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            raise SystemExit(f"port {PORT} is in use: stop what listens there first")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "AKARI_FROZEN_NOW": FROZEN_NOW,
        "AKARI_BENCH_BASELINE": "1",
        "DEBUG": "0",
        "SECRET_KEY": "booking-storm-bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONPATH": str(ROOT / "src"),
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "akari.wsgi",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            *(
                ["--threads", str(threads), "--keep-alive", "30"]
                if worker_class == "gthread"
                else []
            ),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stderr=open(LOG, "wb"),  # noqa: SIM115 - closed with the process
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            import urllib.request

            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start")


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.status: dict[int, int] = {}
        self.undecided = 0
        self.client_cpu = 0.0  # seconds of CPU the load generator itself used
        self.server_cpu = 0.0  # ... gunicorn (its master and workers)
        self.database_cpu = 0.0  # ... PostgreSQL (every process of the server)


def process_cpu() -> tuple[float, float]:
    """Seconds of CPU used so far by gunicorn's processes and by PostgreSQL's (read from
    ``/proc``; a process that has ended no longer counts, so compare snapshots taken while the
    same processes run). (0, 0) where there is no ``/proc``."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    server = database = 0.0
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return 0.0, 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read(200)
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        used = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        if b"gunicorn" in command:
            server += used
        elif command.startswith(b"postgres"):
            database += used
    return server, database


def bodies(free: list[tuple[str, dt.datetime]]) -> list[bytes]:
    """Each slot's request body, encoded once (the load generator shares the 2 cores with the
    server it measures, so it does as little as it can per request)."""
    return [
        json.dumps(
            {
                "beamline": code,
                "start": start.isoformat(),
                "end": (start + dt.timedelta(hours=1)).isoformat(),
                "use_type": "basic",
            }
        ).encode()
        for code, start in free
    ]


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes, timeout: float = 30
) -> tuple[int, bool]:
    """Send one request and read its answer: (status, whether the server closes the
    connection)."""
    writer.write(request)
    await writer.drain()
    status = int((await asyncio.wait_for(reader.readline(), timeout)).split()[1])
    length, closing = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name = line[: line.find(b":")].lower()
        if name == b"content-length":
            length = int(line[15:])
        elif name == b"connection":
            closing = b"close" in line.lower()
    if length:
        await reader.readexactly(length)
    return status, closing


async def client(
    token: str,
    path: str,
    payloads: list[bytes],
    taken: set[int],
    stats: Stats,
    stop_at: float,
    hot: int,
    rng: random.Random,
) -> None:
    """Books slots (indices into ``payloads``, in time order) until none is left or time is
    up: each request picks at random among the ``hot`` earliest slots this client still
    believes free; a 201, 200 (replay) or 409 marks the slot taken for every client."""
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    mine = list(range(len(payloads)))
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {token}\r\n"
        f"Content-Type: application/json\r\nAccept: application/json\r\n"
    ).encode()
    try:
        while time.monotonic() < stop_at:
            mine = [s for s in mine[: hot * 4] if s not in taken] + mine[hot * 4 :]
            if not mine:
                break
            slot = rng.choice(mine[:hot])
            body = payloads[slot]
            tail = f"Idempotency-Key: {token[:8]}-{slot}\r\nContent-Length: {len(body)}\r\n\r\n"
            request = head + tail.encode() + body
            began = time.perf_counter()
            try:
                if connection is None:
                    connection = await asyncio.open_connection("127.0.0.1", PORT)
                status, closing = await exchange(*connection, request)
            except (OSError, TimeoutError, ValueError, IndexError, asyncio.IncompleteReadError):
                stats.undecided += 1
                closing = True
                status = 0
            if closing and connection is not None:
                connection[1].close()
                connection = None
            if not status:
                continue
            stats.latencies.append(time.perf_counter() - began)
            stats.status[status] = stats.status.get(status, 0) + 1
            if status in (201, 200, 409):
                taken.add(slot)
    finally:
        if connection is not None:
            connection[1].close()


async def warm_up(tokens: list[str], path: str, clients: int, requests: int) -> dict[int, int]:
    """Every client books ``requests`` slots of the warm-up's hours, each request its own slot
    (201; 409 only when there are more requests than those 651 slots); returns the
    statuses."""
    statuses: dict[int, int] = {}
    free = slots(WARM_HOURS)

    async def one(n: int) -> None:
        connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        token = tokens[n % len(tokens)]
        try:
            for i in range(requests):
                if connection is None:
                    connection = await asyncio.open_connection("127.0.0.1", PORT)
                code, start = free[(n * requests + i) % len(free)]
                body = json.dumps(
                    {
                        "beamline": code,
                        "start": start.isoformat(),
                        "end": (start + dt.timedelta(hours=1)).isoformat(),
                        "use_type": "basic",
                    }
                ).encode()
                request = (
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Authorization: Token {token}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n"
                ).encode() + body
                status, closing = await exchange(*connection, request, timeout=60)
                if closing:
                    connection[1].close()
                    connection = None
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            if connection is not None:
                connection[1].close()

    await asyncio.gather(*(one(n) for n in range(clients)))
    return statuses


async def storm(
    tokens: list[str], path: str, clients: int, seconds: float, hot: int
) -> tuple[Stats, float]:
    stats = Stats()
    payloads = bodies(slots())
    taken: set[int] = set()
    began = time.monotonic()
    cpu = time.process_time()
    server_cpu, database_cpu = process_cpu()
    stop_at = began + seconds
    await asyncio.gather(
        *(
            client(
                tokens[i % len(tokens)],
                path,
                payloads,
                taken,
                stats,
                stop_at,
                hot,
                random.Random(i),
            )
            for i in range(clients)
        )
    )
    stats.client_cpu = time.process_time() - cpu
    server_after, database_after = process_cpu()
    stats.server_cpu = server_after - server_cpu
    stats.database_cpu = database_after - database_cpu
    return stats, time.monotonic() - began


def overlaps(table: str, beamline: str, active: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS.format(table=table, beamline=beamline, active=active))
        return int(cursor.fetchone()[0])


def report(label: str, stats: Stats, elapsed: float, booked: int) -> dict[str, float]:
    lat = sorted(stats.latencies) or [0.0]
    p50 = statistics.median(lat) * 1000
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
    errors = sum(n for code, n in stats.status.items() if code >= 500)
    rate = booked / elapsed if elapsed else 0.0
    print(
        f"{label}: {sum(stats.status.values())} answers in {elapsed:.1f} s, "
        f"{booked} bookings ({rate:.0f}/s), p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
        f"statuses {dict(sorted(stats.status.items()))}, "
        f"without a definitive answer {stats.undecided}, 5xx {errors}"
    )
    answers = max(1, len(stats.latencies))
    print(
        f"{label}: CPU per answer: gunicorn {stats.server_cpu * 1000 / answers:.2f} ms, "
        f"PostgreSQL {stats.database_cpu * 1000 / answers:.2f} ms, "
        f"the load generator {stats.client_cpu * 1000 / answers:.2f} ms"
    )
    return {"rate": rate, "p50": p50, "p99": p99, "errors": errors + stats.undecided}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workers", type=int, default=8, help="gunicorn processes")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=16, help="per process, gthread only")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--members", type=int, default=60)
    parser.add_argument("--hot", type=int, default=300)
    parser.add_argument(
        "--warmup", type=int, default=3, help="bookings per client before the storms"
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "bench"))
    import machine

    print(machine.line(), flush=True)
    url = recreate_database()
    setup_django(url)
    print(f"database {DB_NAME}: migrating and seeding {args.members} members ...", flush=True)
    tokens = seed(args.members)
    from django.db import connection

    from akari.coalition.ledger import ledger_problems

    connection.close()
    print(
        f"gunicorn: {args.workers} {args.worker_class} workers"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + f"; {args.clients} clients; "
        f"{len(slots())} one-hour slots of {MONTH[0]}-{MONTH[1]:02d}; now = {FROZEN_NOW}",
        flush=True,
    )
    server = start_server(url, args.workers, args.worker_class, args.threads)
    try:
        if args.warmup:
            warm = asyncio.run(
                warm_up(tokens, "/api/v1/coalition/bookings/", args.clients, args.warmup)
            )
            print(
                f"warm-up: {args.warmup} bookings per client at {WARM_HOURS.start}:00-"
                f"{WARM_HOURS.stop}:00, statuses {warm}"
            )
        stats, elapsed = asyncio.run(
            storm(tokens, "/api/v1/coalition/bookings/", args.clients, args.seconds, args.hot)
        )
        booked = stats.status.get(201, 0)
        main_figures = report("akari", stats, elapsed, booked)
        double = overlaps(
            "beamtime_block", "beamline_id", "a.released_at IS NULL AND b.released_at IS NULL AND"
        )
        problems = ledger_problems()
        print(f"akari: double bookings {double}, ledger errors {len(problems)}")
        base_stats, base_elapsed = asyncio.run(
            storm(
                tokens,
                "/api/v1/coalition/bench/naive-bookings/",
                args.clients,
                args.seconds,
                args.hot,
            )
        )
        report("baseline", base_stats, base_elapsed, base_stats.status.get(201, 0))
        base_double = overlaps("bench_naive_block", "beamline", "")
        print(f"baseline (check-then-insert, no constraint): double bookings {base_double}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        connection.close()
    print(
        f"RESULT bookings_per_s={main_figures['rate']:.0f} p50_ms={main_figures['p50']:.0f} "
        f"p99_ms={main_figures['p99']:.0f} double_bookings={double} "
        f"ledger_errors={len(problems)} baseline_double_bookings={base_double} "
        f"unanswered_or_5xx={int(main_figures['errors'])}"
    )


if __name__ == "__main__":
    main()

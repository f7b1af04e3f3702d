"""Akari benchmarks: public pages against a baseline measured in the same run.

Builds a throw-away PostgreSQL database (``DATABASE_URL`` + ``_bench``), loads the demo, then
times server-side rendering of the public list pages through the whole middleware stack with
Django's test client. The baseline is ``/healthz`` (one trivial query through the same stack),
so the ratio says how much a page costs over the framework's floor, whatever the machine's
speed. Prints one line per page: median milliseconds, ratio to baseline, and query count.

No timing thresholds here or in tests: the machines are shared and noisy; read the ratios.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akari.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PAGES = [
    ("catalogue", "/beamlines/"),
    ("catalogue filtered", "/beamlines/?policy_area=materials"),
    ("beamline detail", "/beamlines/nanoterasu/BL07U/"),
    ("programme guide", "/programmes/"),
    ("api beamlines", "/api/v1/beamlines/"),
    ("api programmes", "/api/v1/programmes/"),
]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "60"))


def median_ms(client: Client, url: str, headers: dict[str, str]) -> float:
    for _ in range(5):  # warm-up
        client.get(url, headers=headers)
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def main() -> None:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    # Its own database, so a benchmark never clobbers a test run's database.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        client = Client()
        for language in ("ja", "en"):
            headers = {"accept-language": language}
            baseline = median_ms(client, "/healthz", headers)
            print(f"[{language}] baseline /healthz: {baseline:.2f} ms (median of {ROUNDS})")
            for name, url in PAGES:
                ms = median_ms(client, url, headers)
                with CaptureQueriesContext(connection) as queries:
                    client.get(url, headers=headers)
                print(
                    f"[{language}] {name:<20} {ms:7.2f} ms  ratio {ms / baseline:5.1f}x baseline"
                    f"  queries {len(queries)}"
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

"""How fast this machine is today, for reading a benchmark's wall-clock figures.

The benchmarks' goals are wall-clock figures "on this 2-core machine", but the machines here
are shared and their speed varies from one session to the next (seen: the same run of
``bench/schedule.py --size M`` took 42 s one day and 120 s another, with the same result). Each
benchmark prints this reference first: the seconds one core takes for a fixed pure-Python
workload. Figures from two sessions compare only after scaling by it.
"""

from __future__ import annotations

import time


def reference_seconds(rounds: int = 3) -> float:
    """The fastest of ``rounds`` runs of a fixed workload (integer arithmetic, a dict and a
    sort: what an interpreter-bound request or search does), in seconds."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        total = 0
        seen: dict[int, int] = {}
        for i in range(2_000_000):
            total += i * i % 7
            if i % 16 == 0:
                seen[i % 4099] = total
        sorted(seen.values())
        best = min(best, time.perf_counter() - started)
    return best


def _one(_: int) -> float:
    return reference_seconds()


def both_cores_seconds(processes: int = 2) -> float:
    """The slowest of ``processes`` simultaneous runs of the workload, one per process: a
    2-core benchmark (the booking storm) runs at this speed, and a machine whose cores are
    shared with a busy neighbour shows it here rather than in the single-core figure."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=processes) as pool:
        return max(pool.map(_one, range(processes)))


def line() -> str:
    return (
        f"machine: reference workload {reference_seconds():.2f} s on one core, "
        f"{both_cores_seconds():.2f} s on both at once (lower is faster)"
    )

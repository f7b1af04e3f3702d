"""Gunicorn settings for Akari's web process (``gunicorn akari.wsgi -c gunicorn.conf.py``).

**Sync workers, several processes, behind a buffering proxy.** Each worker process serves one
request at a time with its own persistent database connection. Measured with
``bench/booking_storm.py`` on 2 cores and 64 clients, against 2 ``gthread`` processes of 16
threads at the same throughput (about 120 bookings/s that day): p99 490-761 ms against
1,175-1,239 ms, p99/p50 1.2-1.6 against 2.3-2.8. Under
load, Python's threads queue behind the GIL and behind the accept loop, and the queueing is
unfair; processes queue on the operating system's scheduler, which is fair. A sync worker does
not keep connections alive, and a slow client holds a whole process, so production puts a
buffering reverse proxy (nginx, or the load balancer) in front.

``WEB_CONCURRENCY`` sets the number of processes: by default ``4 x cores``, because a booking
spends part of its time waiting for PostgreSQL (6, 8 and 12 processes on 2 cores gave the same
throughput; 8 gave the lowest p99). Every process holds one connection, so the number must stay
under PostgreSQL's ``max_connections``, with room for the task worker and the periodic
commands.

**Garbage collection.** Once a worker has loaded Django and Akari, :func:`post_worker_init`
moves every object that exists then (modules, models, URL patterns: about 140,000 objects) out
of reach of Python's cyclic collector (``gc.freeze()``): they live as long as the process. A
full collection would otherwise walk them all, about a tenth of a second of one core on this
machine, in the middle of whichever request triggers it (a few times in a worker's first
thousand requests; measured: after the freeze, a full collection takes well under a
millisecond). Collection of what requests allocate is unchanged.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("AKARI_BIND", "127.0.0.1:8000")
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", 4 * multiprocessing.cpu_count()))
backlog = 2048
timeout = 30
graceful_timeout = 30
# Restart a worker now and then (bounds any slow leak); the jitter keeps them from restarting
# together.
max_requests = 20_000
max_requests_jitter = 2_000
accesslog = os.environ.get("AKARI_ACCESS_LOG") or None


def post_worker_init(worker: object) -> None:
    """The worker has loaded the application: keep what exists now out of the collector's
    full collections (see the module's docstring)."""
    gc.freeze()

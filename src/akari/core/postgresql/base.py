"""Django's PostgreSQL backend with a health check that costs no round trip.

With persistent connections (``CONN_MAX_AGE``) and ``CONN_HEALTH_CHECKS``, Django checks a
reused connection before the first query of every request by sending ``SELECT 1`` and waiting
for the answer: one more round trip per request, on every page and API call (measured with
``bench/booking_storm.py``: about 5% of a worker's Python time and a sixth of its wall-clock
time on the booking hot path, where the worker and the database each wait and switch).

:meth:`DatabaseWrapper.is_usable` first asks the operating system whether the idle
connection's socket has anything to read, without waiting. PostgreSQL sends nothing to an idle
session: when the socket is readable, the server has closed it (a restart, an administrator
terminating the backend, an idle-session timeout: it sends its ``FATAL`` message, then closes)
or something unexpected arrived; in both cases, and whenever the connection is not idle (a
transaction left open or failed), Django's own check decides (``SELECT 1``, which then fails
and the connection is replaced, without the request seeing an error). A quiet, idle socket of
an open connection is usable: no query is sent.

What neither check catches is a peer that vanished without closing (a crashed host, a dropped
network path): ``SELECT 1`` would then wait for TCP's own timeout too. Everything else is
Django's ``django.db.backends.postgresql`` (``connection.vendor`` is still ``"postgresql"``);
settings select this backend for every PostgreSQL ``DATABASE_URL``.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status == TransactionStatus.IDLE:
            try:
                poller = select.poll()
                poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
                if not poller.poll(0):
                    return True  # idle and nothing arrived: the session is there
            except (OSError, ValueError):
                return False
        return bool(super().is_usable())

"""The e-mail task. Thin: the work is :func:`akari.notifications.services.notification_email_send`.

Enqueued by the services after commit; with ``django_tasks_db`` a worker runs it
(``manage.py db_worker``). Retries are new enqueues with ``run_after`` set (exponential backoff).
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from akari.notifications import services


@task()
def send_notification_email(notification_id: int) -> str:
    return str(services.notification_email_send(notification_id=notification_id))


def can_defer() -> bool:
    """Whether the configured task backend honours ``run_after``."""
    return bool(send_notification_email.get_backend().supports_defer)


def enqueue_email(notification_id: int, *, run_after: dt.datetime | None = None) -> None:
    job = send_notification_email
    if run_after is not None and can_defer():
        job = job.using(run_after=run_after)
    job.enqueue(notification_id)

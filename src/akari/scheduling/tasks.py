"""Background work of scheduling (run by the task worker, ``manage.py db_worker``)."""

from __future__ import annotations

from django.tasks import task

from akari.scheduling import services
from akari.scheduling.models import SolverRun


@task()
def run_solver(run_id: int) -> int | None:
    run = SolverRun.objects.select_related("period").filter(pk=run_id).first()
    if run is None or run.status != SolverRun.Status.QUEUED:
        return None
    return services.solve_run(run=run).objective

"""``manage.py schedule_period PERIOD [--facility F] [--time-limit S] [--workers N]``: run the
solver on a period in the foreground, with a progress bar, and print the figures the period
page shows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from akari.scheduling import selectors, services
from akari.scheduling.models import SchedulePeriod


class Command(BaseCommand):
    help = "Schedule a period's accepted proposals (CP-SAT) and store the draft schedule."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("period", help="period code, e.g. 2027A")
        parser.add_argument("--facility", help="facility code, when the period code is ambiguous")
        parser.add_argument("--time-limit", type=float, default=None)
        parser.add_argument("--workers", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        periods = SchedulePeriod.objects.filter(code=options["period"])
        if options["facility"]:
            periods = periods.filter(facility__code=options["facility"])
        if periods.count() != 1:
            raise CommandError(f"no single period {options['period']!r}")
        period = periods.get()
        run = services.solve_request(
            period=period,
            actor=None,
            time_limit=options["time_limit"],
            workers=options["workers"],
        )
        out = self.stdout

        def bar(fraction: float, note: str) -> None:
            width = 30
            done = int(width * fraction)
            out.write(
                f"\r[{'#' * done}{'.' * (width - done)}] {fraction:4.0%} {note:<20}", ending=""
            )
            out.flush()

        run = services.solve_run(run=run, progress=bar)
        out.write("")
        out.write(f"period            {period}")
        out.write(f"placed            {run.placed} / {run.total}")
        out.write(f"objective         {run.objective}  (score-weighted shifts)")
        out.write(
            f"bound             {run.bound:.0f}  (LP {run.bound_lp}, CP-SAT {run.bound_cpsat})"
        )
        out.write(f"gap               {run.gap_percent:.3f} %")
        out.write(f"greedy            {run.greedy}")
        out.write(f"status            {run.solver_status}  {run.seconds} s")
        for item in run.unplaced:
            reason = selectors.explain(item)
            out.write(f"not placed        {item['proposal']} {item['beamline']}: {reason}")

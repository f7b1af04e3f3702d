"""``manage.py load_facility nanoterasu|spring8|PATH`` or ``--all``: load facility data files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from akari.facility.datafile import FacilityFileError
from akari.facility.services import bundled_data_files, facility_load


class Command(BaseCommand):
    help = (
        "Load a facility data file (beamlines, policy areas, end stations). NAME is a bundled "
        "file (nanoterasu, spring8) or a path to a YAML file; --all loads every bundled file. "
        "Re-running is safe: records are matched by their codes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="nanoterasu, spring8, or a path")
        parser.add_argument("--all", action="store_true", help="load every bundled data file")

    def handle(self, *args: Any, **options: Any) -> None:
        bundled = bundled_data_files()
        name: str = options.get("name") or ""
        if options["all"] == bool(name):
            raise CommandError(
                f"Give one NAME ({', '.join(bundled)} or a path) or --all, not both or neither."
            )
        paths = list(bundled.values()) if options["all"] else [bundled.get(name) or Path(name)]
        for path in paths:
            try:
                summary = facility_load(path=path)
            except FacilityFileError as error:
                raise CommandError(f"Nothing was loaded from {path}:\n{error}") from error
            created = sum(summary.created.values())
            updated = sum(summary.updated.values())
            unchanged = sum(summary.unchanged.values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"{summary.facility}: {created} created, {updated} updated, "
                    f"{unchanged} unchanged ({path.name})"
                )
            )

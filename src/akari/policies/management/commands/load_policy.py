"""``manage.py load_policy PACK [PACK ...]`` or ``manage.py load_policy --all``.

PACK is a shipped pack name (spring8, nanoterasu-shared, nanoterasu-coalition) or a path to a
YAML file. Facility data (``load_facility``) must be loaded first: packs refer to beamlines.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from akari.policies.reader import SHIPPED_PACKS, PackError
from akari.policies.services import policy_load


class Command(BaseCommand):
    help = "Load programme policy packs (validated; a broken pack changes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "packs",
            nargs="*",
            metavar="PACK",
            help=f"pack name ({', '.join(SHIPPED_PACKS)}) or file",
        )
        parser.add_argument("--all", action="store_true", help="load the three shipped packs")

    def handle(self, *args: Any, **options: Any) -> None:
        packs = list(options["packs"])
        if options["all"]:
            packs = [*SHIPPED_PACKS, *packs]
        if not packs:
            raise CommandError("Name a pack (e.g. spring8) or a file, or pass --all.")
        for pack in packs:
            try:
                result = policy_load(path=pack)
            except PackError as exc:
                raise CommandError(str(exc)) from exc
            version = result.version
            state = "loaded" if result.created else "already loaded, unchanged"
            self.stdout.write(
                f"{version.programme.code} {version.version} "
                f"(in force from {version.effective_from}): {state}"
            )

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand, CommandParser

from akari.core import clock
from akari.demo.services import demo_totp_secret


class Command(BaseCommand):
    help = "Print the current one-time code of a demo staff account (demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        secret = demo_totp_secret(options["email"])
        self.stdout.write(format_hotp_value(hotp_value(secret, int(clock.now().timestamp()) // 30)))

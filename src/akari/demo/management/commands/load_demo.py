from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from akari.demo.services import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the NanoTerasu + SPring-8 demo (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_load()
        self.stdout.write(self.style.SUCCESS("Akari demo loaded: NanoTerasu + SPring-8."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for login in logins:
            line = f"  {login.role:<20} {login.email}"
            if login.totp_secret:
                line += f"   TOTP secret {login.totp_secret}"
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            "Staff roles need a one-time code: add the TOTP secret to an authenticator app, or run"
        )
        self.stdout.write("  .venv/bin/python manage.py demo_totp EMAIL")
        self.stdout.write("Open http://127.0.0.1:8000/ (English/日本語 switch at the top right).")

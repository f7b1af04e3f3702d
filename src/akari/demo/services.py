"""Loads the demo: facility catalogue, the three policy packs, organisations and one person
per role. Idempotent: running it again updates the same rows and resets demo passwords.

Demo-only conveniences (never used outside `make demo`): one shared password, and TOTP secrets
derived from the e-mail address so staff logins can be shown on the console.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.db import transaction

from akari.accounts.models import Affiliation, Organisation, User
from akari.accounts.permissions import requires_mfa
from akari.accounts.services import role_grant
from akari.demo.billing import demo_billing
from akari.demo.coalition import demo_coalition
from akari.demo.outcomes import demo_outcomes
from akari.demo.outreach import demo_outreach
from akari.demo.programme import demo_programme
from akari.demo.scheduling import demo_scheduling
from akari.demo.support import demo_support

DATA = Path(__file__).resolve().parent / "data" / "people.yaml"
DEMO_PASSWORD = "akari-demo-2026"  # demo only; printed on the console by `load_demo`


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    totp_secret: str | None


def demo_totp_secret(email: str) -> str:
    """A stable base32 secret for a demo account (demo only: derived, not random)."""
    digest = hashlib.sha256(f"akari-demo-totp:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode("ascii")


def _organisations(rows: list[dict[str, Any]]) -> dict[str, Organisation]:
    by_key: dict[str, Organisation] = {}
    for row in sorted(rows, key=lambda r: "member_of" in r):
        org, _created = Organisation.objects.update_or_create(
            name_en=row["name_en"],
            country=row.get("country", "JP"),
            defaults={
                "name_ja": row["name_ja"],
                "kind": row["kind"],
                "sector": row["sector"],
                "prefecture": row.get("prefecture", ""),
                "member_of": by_key[row["member_of"]] if row.get("member_of") else None,
            },
        )
        by_key[row["key"]] = org
    return by_key


def _person(row: dict[str, Any], organisations: dict[str, Organisation]) -> DemoLogin:
    user, _created = User.objects.update_or_create(
        email=row["email"],
        defaults={
            "family_name": row["family_name"],
            "given_name": row["given_name"],
            "family_name_ja": row.get("family_name_ja", ""),
            "given_name_ja": row.get("given_name_ja", ""),
            "career_stage": row.get("career_stage", ""),
            "preferred_language": row.get("language", "ja"),
            "country": row.get("country", "JP"),
            "is_superuser": bool(row.get("superuser")),
            "is_staff": bool(row.get("superuser")),
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    role_grant(user=user, role=row["role"])
    Affiliation.objects.update_or_create(
        person=user,
        is_primary=True,
        defaults={
            "organisation": organisations[row["organisation"]],
            "department": row.get("department", ""),
        },
    )
    secret = None
    user = User.objects.get(pk=user.pk)
    if requires_mfa(user):
        secret = demo_totp_secret(user.email)
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        TOTP.activate(user, secret)
    return DemoLogin(email=user.email, role=row["role"], totp_secret=secret)


@transaction.atomic
def demo_load() -> list[DemoLogin]:
    call_command("load_facility", all=True, verbosity=0)
    call_command("load_policy", all=True, verbosity=0)
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    organisations = _organisations(data["organisations"])
    logins = [_person(row, organisations) for row in data["people"]]
    people = {p.email: p for p in User.objects.filter(email__in=[x.email for x in logins])}
    demo_programme(people)
    demo_scheduling(people)
    demo_coalition(people)
    demo_billing(people)
    demo_outcomes(people)
    demo_support(people)
    demo_outreach(people)
    return logins

"""Roles are Django groups with permissions, assignable in the admin (user -> groups).

:data:`ROLE_PERMISSIONS` is the one place that says what each role may do in the admin and
API; later apps add their own codenames here. ``sync_roles()`` (run after every ``migrate``)
creates the groups and sets exactly these permissions; it is idempotent.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    APPLICANT = "applicant", _("Applicant")
    REVIEWER = "reviewer", _("Reviewer")
    BEAMLINE_SCIENTIST = "beamline_scientist", _("Beamline scientist")
    USER_OFFICE = "user_office", _("User-office staff")
    FINANCE = "finance", _("Finance")
    MEMBER_ADMIN = "member_admin", _("Coalition member administrator")
    MANAGEMENT = "management", _("Facility management")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


_VIEW_CATALOGUE = [
    "facility.view_facility",
    "facility.view_beamline",
    "facility.view_endstation",
    "facility.view_policyarea",
    "policies.view_programme",
    "policies.view_policyversion",
    "policies.view_accessroute",
    "policies.view_feerule",
]
_VIEW_PEOPLE = [
    "accounts.view_user",
    "accounts.view_organisation",
    "accounts.view_affiliation",
]
_MANAGE_PEOPLE = [
    "accounts.add_user",
    "accounts.change_user",
    "accounts.add_organisation",
    "accounts.change_organisation",
    "accounts.add_affiliation",
    "accounts.change_affiliation",
    "accounts.delete_affiliation",
]
# Finance keeps customers' billing contacts in the admin; invoices, charges, credit notes and
# payments are read-only there (written by the billing services and pages).
_BILLING = [
    "billing.view_billingcontact",
    "billing.add_billingcontact",
    "billing.change_billingcontact",
    "billing.delete_billingcontact",
    "billing.view_invoice",
    "billing.view_charge",
    "billing.view_creditnote",
    "billing.view_payment",
]
_MANAGE_FACILITY = [
    "facility.add_beamline",
    "facility.change_beamline",
    "facility.add_endstation",
    "facility.change_endstation",
    "facility.add_policyarea",
    "facility.change_policyarea",
]

# Review set-up the user office keeps in the admin (technical reviewers of beamlines, reviewer
# profiles, panels); reviews, assignments and conflicts are read-only there.
_MANAGE_REVIEWS = [
    *(
        f"reviews.{verb}_{model}"
        for model in ("beamlinereviewer", "reviewerprofile", "panel")
        for verb in ("view", "add", "change", "delete")
    ),
    "reviews.view_technicalreview",
    "reviews.view_reviewassignment",
    "reviews.view_conflictofinterest",
    "reviews.view_review",
    "reviews.view_assignmentrun",
]

# Coalition records are written through the coalition pages and services; the admin shows them.
_VIEW_COALITION = [
    f"coalition.view_{model}"
    for model in (
        "membership",
        "memberperson",
        "entitlementaccount",
        "ledgerentry",
        "booking",
        "allocationrun",
    )
]

# Periods and award options are edited in the admin; solver runs and blocks are read-only there.
_MANAGE_SCHEDULING = [
    "scheduling.view_scheduleperiod",
    "scheduling.add_scheduleperiod",
    "scheduling.change_scheduleperiod",
    "scheduling.view_awardoption",
    "scheduling.add_awardoption",
    "scheduling.change_awardoption",
    "scheduling.view_solverrun",
    "scheduling.view_scheduledblock",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.APPLICANT: [],
    Role.REVIEWER: [],
    Role.BEAMLINE_SCIENTIST: [
        *_VIEW_CATALOGUE,
        "facility.change_beamline",
        "facility.add_endstation",
        "facility.change_endstation",
        "reviews.view_beamlinereviewer",
    ],
    Role.USER_OFFICE: [
        *_VIEW_CATALOGUE,
        *_VIEW_PEOPLE,
        *_MANAGE_PEOPLE,
        *_MANAGE_FACILITY,
        *_MANAGE_REVIEWS,
        "proposals.view_researchfield",
        "proposals.add_researchfield",
        "proposals.change_researchfield",
        "notifications.view_notification",
        "notifications.resend_notification",
        "selection.view_waitlistentry",
        *_VIEW_COALITION,
        *_MANAGE_SCHEDULING,
    ],
    Role.FINANCE: [*_VIEW_CATALOGUE, *_VIEW_PEOPLE, *_BILLING, *_VIEW_COALITION],
    Role.MEMBER_ADMIN: [],
    Role.MANAGEMENT: [
        *_VIEW_CATALOGUE,
        *_VIEW_PEOPLE,
        "core.view_statusevent",
        *_VIEW_COALITION,
    ],
    Role.SYSTEM_ADMIN: ["*"],
}

# Roles whose holders work in the admin site (is_staff is set when the role is granted).
ADMIN_SITE_ROLES = {
    Role.BEAMLINE_SCIENTIST,
    Role.USER_OFFICE,
    Role.FINANCE,
    Role.MANAGEMENT,
    Role.SYSTEM_ADMIN,
}

_AKARI_APPS = (
    "core",
    "accounts",
    "facility",
    "policies",
    "notifications",
    "beamtime",
    "proposals",
    "reviews",
    "selection",
    "scheduling",
    "coalition",
    "billing",
    "outcomes",
    "services",
    "outreach",
)


def _permissions_for(codes: list[str]) -> list[Permission]:
    if codes == ["*"]:
        return list(Permission.objects.filter(content_type__app_label__in=_AKARI_APPS))
    wanted = {tuple(code.split(".", 1)) for code in codes}
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in wanted},
        codename__in={codename for _, codename in wanted},
    ).select_related("content_type")
    return [p for p in found if (p.content_type.app_label, p.codename) in wanted]


def sync_roles() -> None:
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=str(role))
        group.permissions.set(_permissions_for(codes))


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    # Each app's permissions are created on its own post_migrate; re-sync after each of ours.
    if getattr(sender, "label", None) in _AKARI_APPS:
        sync_roles()


def role_names(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_akari_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._akari_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return bool(role_names(user) & {str(r) for r in roles})

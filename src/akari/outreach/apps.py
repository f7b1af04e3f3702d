from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "akari.outreach"
    label = "outreach"
    verbose_name = _("Public information")

    def ready(self) -> None:
        from akari.core.navigation import NavItem, register
        from akari.outreach import permissions

        register(
            NavItem(_("News"), "outreach:news", order=5),
            NavItem(_("Events"), "outreach:events", order=6),
            NavItem(_("Beamline finder"), "outreach:finder", order=12),
            NavItem(
                _("Public site (staff)"),
                "outreach:staff-news",
                permissions.is_content_staff,
                order=66,
            ),
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilityConfig(AppConfig):
    name = "akari.facility"
    label = "facility"
    verbose_name = _("Facility")

    def ready(self) -> None:
        from akari.core.navigation import NavItem, register

        register(NavItem(_("Beamlines"), "facility:catalogue", order=10))

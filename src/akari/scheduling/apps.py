from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "akari.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduling")

    def ready(self) -> None:
        from akari.core.navigation import NavItem, register
        from akari.scheduling.permissions import can_see_mine, can_view_periods

        register(
            NavItem(_("Schedule"), "scheduling:periods", can_view_periods, order=62),
            NavItem(_("My beamtime"), "scheduling:mine", can_see_mine, order=41),
        )

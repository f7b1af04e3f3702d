from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionConfig(AppConfig):
    name = "akari.coalition"
    label = "coalition"
    verbose_name = _("Coalition")

    def ready(self) -> None:
        from akari.coalition.permissions import can_view_staff
        from akari.core.navigation import NavItem, register, signed_in

        # Everyone signed in sees the entry (a query-free predicate: the navigation is drawn on
        # every page); the dashboard tells a non-member how the coalition works.

        register(
            NavItem(_("Coalition"), "coalition:dashboard", signed_in, order=40),
            NavItem(_("Coalition staff"), "coalition:staff-bookings", can_view_staff, order=65),
        )

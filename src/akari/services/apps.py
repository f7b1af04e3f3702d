from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ServicesConfig(AppConfig):
    name = "akari.services"
    label = "services"
    verbose_name = _("Support services")

    def ready(self) -> None:
        from akari.core.navigation import NavItem, register, signed_in
        from akari.services import permissions

        register(
            NavItem(pgettext_lazy("navigation", "Consultation"), "services:index", order=26),
            NavItem(
                _("My consultations"),
                "services:my-consultations",
                permissions.shows_my_consultations,
                order=27,
            ),
            NavItem(
                _("Consultation queues"),
                "services:queue",
                permissions.is_consultation_staff,
                order=27,
            ),
            NavItem(_("Partner matching"), "services:matching", signed_in, order=28),
            NavItem(_("My orders"), "services:my-orders", permissions.shows_my_orders, order=29),
            NavItem(
                _("Service orders"), "services:order-queue", permissions.is_order_staff, order=29
            ),
        )

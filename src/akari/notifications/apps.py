from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "akari.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from akari.core.navigation import NavItem, register, signed_in

        register(NavItem(_("Notifications"), "notifications:inbox", signed_in, order=80))

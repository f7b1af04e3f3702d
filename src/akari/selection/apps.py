from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "akari.selection"
    label = "selection"
    verbose_name = _("Selection")

    def ready(self) -> None:
        from akari.core.navigation import NavItem, register
        from akari.selection.permissions import can_view_committee

        register(NavItem(_("Selection"), "selection:calls", can_view_committee, order=60))

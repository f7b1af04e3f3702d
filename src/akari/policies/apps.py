from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "akari.policies"
    label = "policies"
    verbose_name = _("Programme policies")

    def ready(self) -> None:
        from akari.core.navigation import NavItem, register

        register(NavItem(_("Programme guide"), "policies:guide", order=20))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionConfig(AppConfig):
    name = "akari.coalition"
    label = "coalition"
    verbose_name = _("Coalition")

    def ready(self) -> None:
        # Navigation entries are registered here (see akari.core.navigation).
        pass

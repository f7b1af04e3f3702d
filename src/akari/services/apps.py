from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "akari.services"
    label = "services"
    verbose_name = _("Support services")

    def ready(self) -> None:
        # Navigation entries are registered here (see akari.core.navigation).
        pass

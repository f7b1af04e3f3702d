from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "akari.outreach"
    label = "outreach"
    verbose_name = _("Public information")

    def ready(self) -> None:
        # Navigation entries are registered here (see akari.core.navigation).
        pass

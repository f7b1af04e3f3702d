from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "akari.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        # Navigation entries are registered here (see akari.core.navigation).
        pass

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "akari.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from akari.billing import permissions
        from akari.core.navigation import NavItem, register

        register(
            NavItem(_("Billing"), "billing:dashboard", permissions.is_finance, order=70),
            NavItem(
                _("My invoices"), "billing:my-invoices", permissions.shows_my_invoices, order=71
            ),
            NavItem(_("Usage records"), "billing:usage", permissions.is_usage_staff, order=72),
            NavItem(_("Fee estimator"), "billing:estimate", order=25),
        )

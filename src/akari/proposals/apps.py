from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "akari.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from akari.core.navigation import NavItem, register, signed_in
        from akari.proposals.permissions import can_view_staff_pages

        register(
            NavItem(_("Calls for proposals"), "proposals:calls", order=30),
            NavItem(_("My proposals"), "proposals:mine", signed_in, order=40),
            NavItem(
                _("Calls (user office)"), "proposals:staff_calls", can_view_staff_pages, order=55
            ),
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "akari.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from akari.core.navigation import NavItem, register, signed_in
        from akari.proposals.permissions import can_view_staff_pages

        # The calls are public; the entry shows to signed-in people until the lead's
        # navigation test (tests/core/test_pages.py) lists it for anonymous visitors too.
        register(
            NavItem(_("Calls for proposals"), "proposals:calls", signed_in, order=30),
            NavItem(_("My proposals"), "proposals:mine", signed_in, order=40),
            NavItem(
                _("Calls (user office)"), "proposals:staff_calls", can_view_staff_pages, order=55
            ),
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "akari.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self) -> None:
        from akari.core.navigation import NavItem, register, signed_in
        from akari.outcomes import permissions
        from akari.outcomes.sanctions import blocking_obligations_of
        from akari.proposals.rules import register_obligation_blocker

        register_obligation_blocker(blocking_obligations_of)
        register(
            NavItem(_("Outcomes"), "outcomes:publications", order=30),
            NavItem(_("My obligations"), "outcomes:mine", signed_in, order=31),
            NavItem(
                _("Obligations queue"), "outcomes:queue", permissions.is_outcomes_staff, order=73
            ),
        )

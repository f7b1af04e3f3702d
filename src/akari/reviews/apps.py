from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "akari.reviews"
    label = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from akari.core.navigation import NavItem, register
        from akari.reviews.permissions import (
            shows_peer_reviews,
            shows_review_management,
            shows_technical_reviews,
        )

        register(
            NavItem(_("My peer reviews"), "reviews:assignments", shows_peer_reviews, order=45),
            NavItem(
                _("Technical reviews"),
                "reviews:technical-list",
                shows_technical_reviews,
                order=46,
            ),
            NavItem(_("Reviews (user office)"), "reviews:calls", shows_review_management, order=57),
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for `make demo`. Depends on every domain app; nothing depends on it."""

    name = "akari.demo"
    label = "demo"
    verbose_name = _("Demo data")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeamtimeConfig(AppConfig):
    name = "akari.beamtime"
    label = "beamtime"
    verbose_name = _("Beamtime")

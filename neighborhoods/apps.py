from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighborhoodsConfig(AppConfig):
    name = "neighborhoods"
    verbose_name = _("Neighbourhoods and households")

    def ready(self):
        from . import messages

        messages.register()

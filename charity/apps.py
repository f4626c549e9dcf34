from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharityConfig(AppConfig):
    name = "charity"
    verbose_name = _("Charity")

    def ready(self):
        from civic.api import scopes

        scopes.register(
            "charity:read",
            _("Read social organisations, pairings, projects with their activities, and funds' ledgers"),
        )

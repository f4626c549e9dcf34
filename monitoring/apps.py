from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Low-income monitoring")

    def ready(self):
        from civic.api import scopes

        from . import feeds, receivers  # noqa: F401  (receivers connect themselves)

        for feed in feeds.FEEDS.values():
            scopes.register(feed.scope, feed.scope_description)
        scopes.register(
            "monitoring:read", _("Read the people watched in the token's region and the early warnings raised")
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivicConfig(AppConfig):
    name = "civic"
    verbose_name = _("Civic core")

    def ready(self):
        from . import figures, registry_figures  # noqa: F401 - registers the registry's dashboard source and panel

        # Every app's figure sources, now: their watches must be connected before the first write.
        figures.sources()

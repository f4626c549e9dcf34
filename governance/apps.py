from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Community councils")

    def ready(self):
        from civic.api import scopes

        scopes.register(
            "governance:read",
            _("Read community councils, their topics, meetings, resolutions, micro-projects and execution rates"),
        )
        scopes.register(
            "governance:hotline", _("Send residents' requests from a hotline (12345) to a council as topics")
        )

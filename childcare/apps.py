from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildcareConfig(AppConfig):
    name = "childcare"
    verbose_name = _("Child protection")

    def ready(self):
        from civic.api import scopes

        scopes.register(
            "childcare:report",
            _("File mandatory reports of harm to children (强制报告) and read back the outcome of one's own reports"),
        )

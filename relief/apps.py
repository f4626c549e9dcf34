from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReliefConfig(AppConfig):
    name = "relief"
    verbose_name = _("Social relief")

    def ready(self):
        from civic.api import scopes

        scopes.register("relief:read", _("Read relief applications and entitlements within the token's region"))
        scopes.register("relief:quote", _("Compute relief amounts with their explanation, without saving"))
        scopes.register("relief:cross_check", _("Post information cross-check results for relief applications"))

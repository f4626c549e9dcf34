from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EldercareConfig(AppConfig):
    name = "eldercare"
    verbose_name = _("Elder care")

    def ready(self):
        from civic.api import scopes

        scopes.register("eldercare:meals", _("Check elderly in for meals at the meal hall the token is bound to"))
        scopes.register("eldercare:read", _("Read meal halls and elderly visits within the token's region"))

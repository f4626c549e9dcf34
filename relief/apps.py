from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def review_after_death(sender, resident, died_on, **kwargs):
    """A member's death makes the household's benefit review due within 3 months (DOMAIN.md)."""
    from relief.services.entitlements import review_due_for_death

    review_due_for_death(resident, died_on)


class ReliefConfig(AppConfig):
    name = "relief"
    verbose_name = _("Social relief")

    def ready(self):
        from civic.api import scopes
        from civic.signals import resident_died

        resident_died.connect(review_after_death, dispatch_uid="relief.review_after_death")

        scopes.register("relief:read", _("Read relief applications and entitlements within the token's region"))
        scopes.register("relief:quote", _("Compute relief amounts with their explanation, without saving"))
        scopes.register("relief:cross_check", _("Post information cross-check results for relief applications"))
        scopes.register(
            "relief:policy",
            _("Draft and simulate relief policies (standards and local options) within the token's region"),
        )
        scopes.register("relief:bank", _("Read payment rosters and return the bank's result for each payment"))
        scopes.register("relief:cpi", _("Post monthly consumer price index readings"))

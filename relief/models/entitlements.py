"""Dynamic management (动态管理) of entitlements: every suspension, resumption, ending, review, change of amount,
gradual exit and review brought forward leaves one event row, with the reason told to the family.

Status changes go through relief.services.entitlements: a guard, a compare-and-set update of the entitlement and an
EntitlementEvent in the same transaction."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .applications import Entitlement, EntitlementStatus


class EntitlementAction(models.TextChoices):
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    ENDED = "ended", _("Ended")
    REVIEWED = "reviewed", _("Reviewed, continues unchanged")
    AMOUNT_CHANGED = "amount_changed", _("Amount changed")
    GRADUAL_EXIT = "gradual_exit", _("Gradual exit (渐退期) started")
    REVIEW_DUE_BROUGHT_FORWARD = "review_due_brought_forward", _("Review brought forward")
    ACCOUNT_CHANGED = "account_changed", _("Payment account changed")


class ReviewOutcome(models.TextChoices):
    """What a periodic review decides. Not stored as such: each outcome writes the matching event."""

    CONTINUE = "continue", _("Continue unchanged")
    CHANGE_AMOUNT = "change_amount", _("Change the amount")
    SUSPEND = "suspend", _("Suspend")
    END = "end", _("End")


class EntitlementEvent(models.Model):
    entitlement = models.ForeignKey(Entitlement, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=EntitlementAction.choices)
    old_amount = models.DecimalField(_("amount before"), max_digits=12, decimal_places=2, null=True, blank=True)
    new_amount = models.DecimalField(_("amount after"), max_digits=12, decimal_places=2, null=True, blank=True)
    old_status = models.CharField(_("status before"), max_length=10, choices=EntitlementStatus.choices, blank=True)
    new_status = models.CharField(_("status after"), max_length=10, choices=EntitlementStatus.choices, blank=True)
    # Told to the family, so never empty.
    reason = models.TextField(_("reason"))
    at_review = models.BooleanField(_("at a periodic review"), default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=120)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("entitlement event")
        verbose_name_plural = _("entitlement events")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="relief_entitlement_event_reason"),
            models.CheckConstraint(
                condition=(Q(old_amount__isnull=True) | Q(old_amount__gte=0))
                & (Q(new_amount__isnull=True) | Q(new_amount__gte=0)),
                name="relief_entitlement_event_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.entitlement_id} {self.action}"

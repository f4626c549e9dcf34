"""The early-warning rules and nightly checks: what each one looks for, what each of its settings means, and the
defaults a new installation starts with. The bureau changes the settings on the rules page (monitoring.rules);
the SQL that applies them is in monitoring.detection."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from relief.programmes import Programme

from .models import Action, Category, Rule, RuleCode


@dataclass(frozen=True)
class RuleSpec:
    code: RuleCode
    action: Action
    explanation: str
    # The settings this rule uses, with what they mean for it; the others are hidden on its form.
    settings: dict = field(default_factory=dict)
    programme_choices: tuple = ()
    defaults: dict = field(default_factory=dict)
    check: bool = False  # a duplicate/conflict check rather than a warning from a partner's data


BENEFITS = tuple((p.value, p.label) for p in (Programme.DIBAO, Programme.TEKUN, Programme.EDGE, Programme.RIGID))
PAID = tuple((p.value, p.label) for p in (Programme.DIBAO, Programme.TEKUN, Programme.CHILD_ALLOWANCE))
WATCHED = tuple((c.value, c.label) for c in Category)

SPECS = {
    s.code.value: s
    for s in (
        RuleSpec(
            RuleCode.DEATH,
            Action.REVIEW,
            _(
                "A death reported by the population feed or recorded in the registry, of a member covered by a "
                "benefit: the benefit is reviewed (within 3 months of the death)."
            ),
            settings={
                "programmes": _("Benefits whose households are reviewed"),
                "window_days": _("Deaths up to this many days ago"),
            },
            programme_choices=BENEFITS,
            defaults={"programmes": ["dibao", "tekun"], "window_days": 90, "deadline_days": 10},
        ),
        RuleSpec(
            RuleCode.MEDICAL,
            Action.APPLY,
            _(
                "Out-of-pocket hospital costs of a watched household's members over the period, above a share of the "
                "household's yearly income: suggests temporary aid (支出型) to a household on dibao or 特困, "
                "rigid-expenditure support to the others."
            ),
            settings={
                "programmes": _("Watched people of these categories"),
                "threshold": _("Share of yearly income (0.6 = 60 %)"),
                "min_amount": _("Costs of at least (yuan)"),
                "window_days": _("Costs over this many days"),
            },
            programme_choices=WATCHED,
            defaults={
                "programmes": [c.value for c in Category],
                "threshold": Decimal("0.60"),
                "min_amount": Decimal("5000"),
                "window_days": 365,
                "deadline_days": 10,
            },
        ),
        RuleSpec(
            RuleCode.ASSET,
            Action.VERIFY,
            _(
                "A vehicle, or a home that makes more homes than allowed, registered to a member covered by a benefit: "
                "the family's assets are verified at a review."
            ),
            settings={
                "programmes": _("Benefits checked"),
                "threshold": _("Homes owned in all from which a home registration is a warning"),
                "window_days": _("Registrations up to this many days ago"),
            },
            programme_choices=BENEFITS,
            defaults={"programmes": ["dibao", "tekun"], "threshold": Decimal("2"), "window_days": 365},
        ),
        RuleSpec(
            RuleCode.EDGE_INCOME,
            Action.APPLY,
            _(
                "An edge family (低保边缘) a member of which registered as unemployed: without that member's wages, "
                "its income per person falls below the dibao standard in force; dibao is suggested."
            ),
            settings={"window_days": _("Unemployment registered up to this many days ago")},
            defaults={"window_days": 90},
        ),
        RuleSpec(
            RuleCode.ELDER_HOTLINE,
            Action.VISIT,
            _(
                "A special-hardship elder on the visiting list calls the hotline (12345) and has had no visit for the "
                "period: an urgent visit."
            ),
            settings={"window_days": _("No visit for this many days, and a call within them")},
            defaults={"window_days": 30, "deadline_days": 1, "urgent": True},
        ),
        RuleSpec(
            RuleCode.TWO_HOUSEHOLDS,
            Action.REVIEW,
            _("A person covered by the benefit of a household they no longer live in (one person in two households)."),
            settings={"programmes": _("Benefits checked")},
            programme_choices=PAID + BENEFITS[2:],
            defaults={"programmes": ["dibao", "tekun", "edge", "child_allowance"]},
            check=True,
        ),
        RuleSpec(
            RuleCode.TWO_PROGRAMMES,
            Action.REVIEW,
            _("A person covered by two of dibao, 特困 and edge-family support at once; one person may have one."),
            check=True,
        ),
        RuleSpec(
            RuleCode.PAID_AFTER_DEATH,
            Action.REVIEW,
            _(
                "A benefit paid for a month after the death of its payee, or of its only covered member (from the "
                "registry or the population feed)."
            ),
            settings={"window_days": _("Payments of months up to this many days ago")},
            defaults={"window_days": 365},
            check=True,
        ),
        RuleSpec(
            RuleCode.SHARED_ACCOUNT,
            Action.VERIFY,
            _(
                "One payment account receiving the benefits of two households no member of which ever lived in the "
                "other."
            ),
            check=True,
        ),
    )
}


def defaults_for(code):
    spec = SPECS[code]
    values = {"enabled": True, "deadline_days": 10, "urgent": False, "programmes": []}
    values.update(spec.defaults)
    return values


def rules_in_force():
    """Every rule's settings, creating those the bureau has not set yet with their defaults."""
    existing = {r.code: r for r in Rule.objects.all()}
    missing = [Rule(code=code, **defaults_for(code)) for code in SPECS if code not in existing]
    if missing:
        Rule.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {r.code: r for r in Rule.objects.all()}
    return [existing[code] for code in SPECS]

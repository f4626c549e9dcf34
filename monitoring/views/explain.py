"""A warning in plain words: what was found, from the figures and records the rule kept with it, for the warning's
page, its task sheet and the suggested reason of a review."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..feeds import FEEDS
from ..models import RuleCode


def _money(value):
    return "—" if value is None else f"{value:,.2f}"


def _date(value):
    return value.isoformat() if value else "—"


def _name(resident):
    return resident.name if resident is not None else _("a member")


def record_facts(record):
    """The partner's record as (label, value) pairs."""
    if record is None:
        return []
    feed = FEEDS.get(record.feed)
    facts = [(_("Feed"), record.get_feed_display())]
    if record.event:
        label = feed.events.get(record.event, record.event) if feed else record.event
        facts.append((_("Event"), str(label)))
    facts.append((_("Date"), _date(record.event_date)))
    if record.amount is not None:
        facts.append(
            (str(feed.amount_label) if feed and feed.amount_label else _("Amount (yuan)"), _money(record.amount))
        )
    if record.count is not None:
        facts.append((str(feed.count_label) if feed and feed.count_label else _("Count"), str(record.count)))
    if record.detail:
        facts.append((_("Detail"), record.detail))
    facts.append((_("Partner"), record.sender.name if record.sender_id else _("Registry")))
    facts.append((_("Partner's reference"), record.reference))
    facts.append(
        (pgettext("partner record", "Received"), timezone.localtime(record.received_at).strftime("%Y-%m-%d %H:%M"))
    )
    return facts


def share(alert):
    """Costs as a percentage of income (medical), one decimal, or None."""
    if alert.amount is None or not alert.base_amount:
        return None
    return f"{(alert.amount / alert.base_amount * Decimal(100)):.1f}"


def summary(alert):
    """One or two sentences saying what was found."""
    rule, record, resident = alert.rule, alert.record, alert.resident
    entitlement, other = alert.entitlement, alert.other_entitlement
    benefit = entitlement.get_programme_display() if entitlement else _("a benefit")
    when = record.event_date if record else (resident.died_on if resident else None)
    values = {
        "name": _name(resident),
        "date": _date(when),
        "benefit": benefit,
        "amount": _money(alert.amount),
        "base": _money(alert.base_amount),
    }
    if rule == RuleCode.DEATH:
        source = _("reported by the population feed") if record else _("recorded in the registry")
        return _(
            "%(name)s died on %(date)s (%(source)s). The household receives %(benefit)s: its members and amount "
            "are to be reviewed."
        ) % {**values, "source": source}
    if rule == RuleCode.MEDICAL:
        return _(
            "The household's members paid %(amount)s yuan out of pocket for hospital care over the period, "
            "%(share)s %% of its yearly income of %(base)s yuan (the latest record dated %(date)s)."
        ) % {**values, "share": share(alert) or "—"}
    if rule == RuleCode.ASSET:
        what = _("A registration")
        if record is not None and record.feed in FEEDS:
            what = str(FEEDS[record.feed].events.get(record.event, record.event))
        text = _("%(what)s for %(name)s on %(date)s, while the household receives %(benefit)s.") % {
            **values,
            "what": what,
        }
        if record is not None and record.count is not None:
            text += " " + _("Homes owned in all: %(count)s.") % {"count": record.count}
        return text
    if rule == RuleCode.EDGE_INCOME:
        return (
            _(
                "A member of this edge family registered as unemployed on %(date)s. Without their wages the family's "
                "income is %(amount)s yuan a person a month, below the dibao standard of %(base)s yuan."
            )
            % values
        )
    if rule == RuleCode.ELDER_HOTLINE:
        return (
            _(
                "%(name)s, a special-hardship elder on the visiting list, called the hotline (12345) on %(date)s "
                "and has not been visited within the period."
            )
            % values
        )
    if rule == RuleCode.TWO_HOUSEHOLDS:
        return _("%(name)s is covered by %(benefit)s of this household but no longer lives in it.") % values
    if rule == RuleCode.TWO_PROGRAMMES:
        second = other.get_programme_display() if other else _("another benefit")
        return _("%(name)s is covered by %(benefit)s and %(second)s at once; one person may have one.") % {
            **values,
            "second": second,
        }
    if rule == RuleCode.PAID_AFTER_DEATH:
        return _("%(amount)s yuan of %(benefit)s was paid for months after the death of %(name)s on %(date)s.") % values
    if rule == RuleCode.SHARED_ACCOUNT:
        number = other.household.number if other else "—"
        return _(
            "The account that receives this household's %(benefit)s also receives the benefit of household "
            "%(number)s; no member of either ever lived in the other."
        ) % {**values, "number": number}
    return alert.get_rule_display()


def suggested_review_reason(alert):
    return _("Early warning: %(summary)s Check the household's members, income and assets and the amount.") % {
        "summary": summary(alert)
    }

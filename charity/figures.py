"""The charity app's dashboard figures (civic.figures), attributed to regions as `charity.selectors.report` does:

- money raised: donations by the month of the ledger entry, kept at the region of the fund's organisation (a
  district association's at the district, the city federation's at the city); the dimension is the project a
  donation is restricted to (its category), '' when unrestricted;
- money granted: grants by month, at the region of the project they went to (dimension: its category) or of the
  household's community (dimension 'household'); grants to neither (a named recipient elsewhere) have no region
  and are left out, as in the report;
- fund balances now (a snapshot), at the organisation's region;
- activities and their beneficiaries by month: project activities at the project's region, pairing activities at
  the pairing's (the street, or the household's community); dimension 'project' or 'pairing';
- referrals now (a snapshot) at the family's community: open (referred or accepted), helped, declined, and those
  still awaiting an answer after their answer date (the referral list's "answer overdue");
- referrals answered by month, and of those the ones answered late: the answer is the referral's first step after
  being referred (accepted, declined, helped or closed), late when its local day is after the answer date.

Every source is one set-based SELECT that runs on PostgreSQL and SQLite alike."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from civic import figures

from .models import EntryKind, FundEntry, PairingActivity, ProjectActivity, Referral, ReferralStatus

RAISED = "charity.raised"
GRANTED = "charity.granted"
BALANCE = "charity.balance"
ACTIVITIES = "charity.activities"
BENEFICIARIES = "charity.beneficiaries"
REFERRALS_OPEN = "charity.referrals_open"
REFERRALS_HELPED = "charity.referrals_helped"
REFERRALS_DECLINED = "charity.referrals_declined"
REFERRALS_OVERDUE = "charity.referrals_overdue"
REFERRALS_ANSWERED = "charity.referrals_answered"
REFERRALS_ANSWERED_LATE = "charity.referrals_answered_late"

HOUSEHOLD = "household"  # the dimension of grants to households (the report's category of the same name)
PROJECT, PAIRING = "project", "pairing"  # the dimensions of activities and beneficiaries

ON = '"on"'  # the date column of ledger entries and activities: a reserved word, quoted


def _in_months(alias):
    return f"{alias}.{ON} >= %(start)s AND {alias}.{ON} < %(end)s"


def _local_day(sql, expression):
    """The local day of a timestamp (the bureau's time zone), the way Dialect.month_of_time takes its month."""
    if sql.vendor == "postgresql":
        return f"CAST({expression} AT TIME ZONE '{settings.TIME_ZONE}' AS date)"
    offset = timezone.localtime().utcoffset().total_seconds() / 3600
    return f"date({expression}, '{offset:+.0f} hours')"


def _donations(sql):
    return (
        f"SELECT o.region_id, {sql.month_of_date('e.' + ON)}, COALESCE(p.category, ''), '{RAISED}', SUM(e.amount) "
        "FROM charity_fundentry e JOIN charity_fund f ON f.id = e.fund_id "
        "JOIN charity_organisation o ON o.id = f.organisation_id "
        "LEFT JOIN charity_project p ON p.id = e.project_id "
        f"WHERE e.kind = '{EntryKind.DONATION.value}' AND o.region_id LIKE %(prefix)s AND {_in_months('e')} "
        "GROUP BY 1, 2, 3"
    )


def _grants(sql):
    month = sql.month_of_date("e." + ON)
    return (
        f"SELECT p.region_id, {month}, p.category, '{GRANTED}', SUM(e.amount) "
        "FROM charity_fundentry e JOIN charity_project p ON p.id = e.project_id "
        f"WHERE e.kind = '{EntryKind.GRANT.value}' AND p.region_id LIKE %(prefix)s AND {_in_months('e')} "
        "GROUP BY 1, 2, 3 "
        "UNION ALL "
        f"SELECT h.region_id, {month}, '{HOUSEHOLD}', '{GRANTED}', SUM(e.amount) "
        "FROM charity_fundentry e JOIN civic_household h ON h.id = e.household_id "
        f"WHERE e.kind = '{EntryKind.GRANT.value}' AND e.project_id IS NULL AND h.region_id LIKE %(prefix)s "
        f"AND {_in_months('e')} "
        "GROUP BY 1, 2"
    )


BALANCES = (
    f"SELECT o.region_id, %(start)s, '', '{BALANCE}', SUM(f.balance) "
    "FROM charity_fund f JOIN charity_organisation o ON o.id = f.organisation_id "
    "WHERE o.region_id LIKE %(prefix)s GROUP BY o.region_id"
)


def _activities(sql):
    parts = []
    for dimension, table, parent, parent_key in (
        (PROJECT, "charity_projectactivity", "charity_project", "project_id"),
        (PAIRING, "charity_pairingactivity", "charity_pairing", "pairing_id"),
    ):
        for metric, value in ((ACTIVITIES, "COUNT(*)"), (BENEFICIARIES, "SUM(a.beneficiaries)")):
            parts.append(
                f"SELECT t.region_id, {sql.month_of_date('a.' + ON)}, '{dimension}', '{metric}', {value} "
                f"FROM {table} a JOIN {parent} t ON t.id = a.{parent_key} "
                f"WHERE t.region_id LIKE %(prefix)s AND {_in_months('a')} "
                "GROUP BY 1, 2"
            )
    return " UNION ALL ".join(parts)


def _referrals_now():
    parts = []
    for metric, condition in (
        (REFERRALS_OPEN, f"r.status IN ('{ReferralStatus.REFERRED.value}', '{ReferralStatus.ACCEPTED.value}')"),
        (REFERRALS_HELPED, f"r.status = '{ReferralStatus.HELPED.value}'"),
        (REFERRALS_DECLINED, f"r.status = '{ReferralStatus.DECLINED.value}'"),
        (REFERRALS_OVERDUE, f"r.status = '{ReferralStatus.REFERRED.value}' AND r.answer_due < %(today)s"),
    ):
        parts.append(
            f"SELECT r.region_id, %(start)s, '', '{metric}', COUNT(*) FROM charity_referral r "
            f"WHERE r.region_id LIKE %(prefix)s AND {condition} GROUP BY r.region_id"
        )
    return " UNION ALL ".join(parts)


def _answers(sql):
    """Referrals by the month of their answer (their first step after being referred), and the late ones."""
    # Bounded by the local day rather than by %(start_at)s: on SQLite an aware timestamp parameter is compared as
    # text with the stored UTC times.
    day = _local_day(sql, "x.answered_at")
    answered = (
        'FROM charity_referral r JOIN (SELECT referral_id, MIN("at") AS answered_at FROM charity_referralevent '
        f"WHERE status <> '{ReferralStatus.REFERRED.value}' GROUP BY referral_id) x ON x.referral_id = r.id "
        f"WHERE r.region_id LIKE %(prefix)s AND {day} >= %(start)s AND {day} < %(end)s"
    )
    month = sql.month_of_time("x.answered_at")
    return (
        f"SELECT r.region_id, {month}, '', '{REFERRALS_ANSWERED}', COUNT(*) {answered} GROUP BY 1, 2 "
        "UNION ALL "
        f"SELECT r.region_id, {month}, '', '{REFERRALS_ANSWERED_LATE}', COUNT(*) {answered} "
        f"AND {day} > r.answer_due GROUP BY 1, 2"
    )


figures.register(
    figures.Source(
        name="charity.donations",
        metrics=(RAISED,),
        select=_donations,
        watch=((FundEntry, "fund__organisation__region_id", "on"),),
    )
)
figures.register(
    figures.Source(
        name="charity.grants",
        metrics=(GRANTED,),
        select=_grants,
        # A grant to a household is refreshed by the receiver below: one source watches a model by one path.
        watch=((FundEntry, "project__region_id", "on"),),
    )
)
figures.register(
    figures.Source(
        name="charity.balances",
        metrics=(BALANCE,),
        select=BALANCES,
        snapshot=True,
        watch=((FundEntry, "fund__organisation__region_id", None),),
    )
)
figures.register(
    figures.Source(
        name="charity.activities",
        metrics=(ACTIVITIES, BENEFICIARIES),
        select=_activities,
        watch=((ProjectActivity, "project__region_id", "on"), (PairingActivity, "pairing__region_id", "on")),
    )
)
figures.register(
    figures.Source(
        name="charity.referrals",
        metrics=(REFERRALS_OPEN, REFERRALS_HELPED, REFERRALS_DECLINED, REFERRALS_OVERDUE),
        select=_referrals_now(),
        snapshot=True,
        watch=((Referral, "region_id", None),),
    )
)
figures.register(
    figures.Source(
        name="charity.referral_answers",
        metrics=(REFERRALS_ANSWERED, REFERRALS_ANSWERED_LATE),
        select=_answers,
        # Every step after the referral is taken now, and saves the referral: this month is the one to refresh.
        watch=((Referral, "region_id", None),),
    )
)


def _household_grant_changed(sender, instance, **kwargs):
    if instance.kind == EntryKind.GRANT and instance.project_id is None and instance.household_id:
        figures.refresh_soon("charity.grants", instance.household.region_id, instance.on)


post_save.connect(_household_grant_changed, sender=FundEntry, dispatch_uid="charity.figures:household-grants:save")
post_delete.connect(_household_grant_changed, sender=FundEntry, dispatch_uid="charity.figures:household-grants:delete")

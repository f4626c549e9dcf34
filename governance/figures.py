"""The community councils' dashboard figures (civic.figures), at the council's region (the community, or the street
for a street council):

- the execution rate's two terms now (a snapshot as of today, as `governance.selectors.execution_rate` counts
  them): resolutions due (past their due date, or closed — implemented or not — by today) and of those the
  implemented ones (closed as implemented by today);
- the same two terms as of each month's end, for the rate's trend: due = due before the first of the next month or
  closed before it, implemented = closed as implemented before it. Recomputed from the resolutions, so the nightly
  refresh restates every month of the trend; a write refreshes the current month;
- meetings held and their participants (members present + other participants) by the month of the meeting;
- topics received by month, the dimension being where they came from (residents, the hotline, …).

Every source is one set-based SELECT that runs on PostgreSQL and SQLite alike."""

from civic import figures

from .models import Meeting, Resolution, ResolutionStatus, Topic

DUE = "governance.resolutions_due"
IMPLEMENTED = "governance.resolutions_implemented"
DUE_BY_MONTH_END = "governance.due_by_month_end"
IMPLEMENTED_BY_MONTH_END = "governance.implemented_by_month_end"
MEETINGS = "governance.meetings"
PARTICIPANTS = "governance.participants"
TOPICS = "governance.topics"

_IMPLEMENTED = f"r.status = '{ResolutionStatus.IMPLEMENTED.value}'"

EXECUTION_NOW = (
    f"SELECT r.region_id, %(start)s, '', '{DUE}', COUNT(*) FROM governance_resolution r "
    "WHERE r.region_id LIKE %(prefix)s AND (r.due_on < %(today)s OR r.closed_on <= %(today)s) "
    "GROUP BY r.region_id "
    "UNION ALL "
    f"SELECT r.region_id, %(start)s, '', '{IMPLEMENTED}', COUNT(*) FROM governance_resolution r "
    f"WHERE r.region_id LIKE %(prefix)s AND {_IMPLEMENTED} AND r.closed_on <= %(today)s "
    "GROUP BY r.region_id"
)


def _execution_by_month(sql):
    # Before the first of the next month ⇔ in this month or an earlier one.
    due_by = f"{sql.month_of_date('r.due_on')} <= m.month"
    closed_by = f"{sql.month_of_date('r.closed_on')} <= m.month"
    return (
        f"SELECT r.region_id, m.month, '', '{DUE_BY_MONTH_END}', COUNT(*) "
        f"FROM governance_resolution r JOIN {sql.months()} m ON ({due_by} OR {closed_by}) "
        "WHERE r.region_id LIKE %(prefix)s GROUP BY r.region_id, m.month "
        "UNION ALL "
        f"SELECT r.region_id, m.month, '', '{IMPLEMENTED_BY_MONTH_END}', COUNT(*) "
        f"FROM governance_resolution r JOIN {sql.months()} m ON {closed_by} "
        f"WHERE r.region_id LIKE %(prefix)s AND {_IMPLEMENTED} GROUP BY r.region_id, m.month"
    )


def _meetings(sql):
    month = sql.month_of_date("g.held_on")
    in_months = "g.region_id LIKE %(prefix)s AND g.held_on >= %(start)s AND g.held_on < %(end)s"
    return (
        f"SELECT g.region_id, {month}, '', '{MEETINGS}', COUNT(*) FROM governance_meeting g "
        f"WHERE {in_months} GROUP BY 1, 2 "
        "UNION ALL "
        f"SELECT g.region_id, {month}, '', '{PARTICIPANTS}', SUM(g.other_participants + COALESCE(a.present, 0)) "
        "FROM governance_meeting g LEFT JOIN (SELECT meeting_id, COUNT(*) AS present "
        "FROM governance_meeting_attendees GROUP BY meeting_id) a ON a.meeting_id = g.id "
        f"WHERE {in_months} GROUP BY 1, 2"
    )


def _topics(sql):
    return (
        f"SELECT t.region_id, {sql.month_of_date('t.received_on')}, t.source, '{TOPICS}', COUNT(*) "
        "FROM governance_topic t "
        "WHERE t.region_id LIKE %(prefix)s AND t.received_on >= %(start)s AND t.received_on < %(end)s "
        "GROUP BY 1, 2, 3"
    )


figures.register(
    figures.Source(
        name="governance.execution",
        metrics=(DUE, IMPLEMENTED),
        select=EXECUTION_NOW,
        snapshot=True,
        watch=((Resolution, "region_id", None),),
    )
)
figures.register(
    figures.Source(
        name="governance.execution_by_month",
        metrics=(DUE_BY_MONTH_END, IMPLEMENTED_BY_MONTH_END),
        select=_execution_by_month,
        watch=((Resolution, "region_id", None),),
    )
)
figures.register(
    figures.Source(
        name="governance.meetings",
        metrics=(MEETINGS, PARTICIPANTS),
        select=_meetings,
        # The members present are set in the transaction that records the meeting: the refresh, after commit,
        # counts them.
        watch=((Meeting, "region_id", "held_on"),),
    )
)
figures.register(
    figures.Source(
        name="governance.topics",
        metrics=(TOPICS,),
        select=_topics,
        watch=((Topic, "region_id", "received_on"),),
    )
)

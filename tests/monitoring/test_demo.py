"""The demo monitoring: seed_demo gives the demo caseworker (侨光社区) open early-warning tasks from a day of partner
records and tonight's run, one warning dismissed with its reason and one handled by a review, a person watched by
hand and a record nobody matches; run again, it adds nothing."""

from functools import partial
from io import StringIO

from django.core.management import call_command

from civic import demo_population
from civic.models import Job, User
from monitoring import selectors
from monitoring.models import (
    Action,
    Alert,
    AlertEvent,
    AlertStatus,
    FeedRecord,
    MatchStatus,
    MonitoredPerson,
    RuleCode,
    WatchStatus,
)
from relief.models import EntitlementEvent

QIAOGUANG = "440402005001"


def counts():
    return tuple(m.objects.count() for m in (FeedRecord, Alert, AlertEvent, MonitoredPerson, EntitlementEvent))


def test_the_demo_caseworker_has_warnings_to_work_on(db, monkeypatch):
    # The same generated city on every run (the demo draws a new one each time).
    monkeypatch.setattr(demo_population, "households_add", partial(demo_population.households_add, seed=2026))
    call_command("seed_demo", "--min-households", "300", stdout=StringIO())
    loaded = counts()
    output = StringIO()
    call_command("seed_demo", "--min-households", "300", stdout=output)
    assert counts() == loaded
    assert "Demo monitoring: 0 new partner records, 0 watched by hand, tonight's run raised 0 warnings" in (
        output.getvalue()
    )

    caseworker = User.objects.get(username="caseworker")
    # Several feeds sent records; one names an ID number no resident has and waits for review.
    assert {"population", "medical", "property", "hotline", "utility", "school"} <= set(
        FeedRecord.objects.values_list("feed", flat=True)
    )
    [unmatched] = FeedRecord.objects.filter(match=MatchStatus.UNMATCHED)
    assert unmatched.resident is None
    assert FeedRecord.objects.filter(match=MatchStatus.MATCHED, region_id=QIAOGUANG).count() >= 5
    assert Job.objects.filter(kind="monitoring.nightly", state="done").exists()

    # The caseworker's open tasks: the hospital costs (temporary aid suggested) and the elder's hotline call
    # (urgent, first on the list).
    tasks = list(selectors.work_list(caseworker))
    rules = {a.rule for a in tasks}
    assert {RuleCode.MEDICAL, RuleCode.ELDER_HOTLINE} <= rules
    assert tasks[0].rule == RuleCode.ELDER_HOTLINE and tasks[0].urgent and tasks[0].action == Action.VISIT
    medical = next(a for a in tasks if a.rule == RuleCode.MEDICAL)
    assert medical.programme == "temp_expenditure" and medical.amount > medical.base_amount * 6 / 10
    assert all(a.assignee == caseworker and a.region_id == QIAOGUANG for a in tasks)

    # One dismissed with its reason, one handled by the review it opened.
    dismissed = Alert.objects.get(status=AlertStatus.DISMISSED)
    assert dismissed.rule == RuleCode.ASSET and dismissed.outcome and dismissed.handled_by == caseworker
    handled = Alert.objects.get(status=AlertStatus.HANDLED)
    assert handled.rule == RuleCode.DEATH and handled.review is not None
    assert handled.review.entitlement_id == handled.entitlement_id
    assert set(handled.events.values_list("step", flat=True)) == {"handled"}

    # Watched: the families on benefit, and one person the caseworker added with the reason.
    [by_hand] = MonitoredPerson.objects.filter(added_by_hand=True)
    assert by_hand.region_id == QIAOGUANG and by_hand.reason and by_hand.added_by == caseworker
    assert MonitoredPerson.objects.filter(category="dibao").count() > 50
    assert MonitoredPerson.objects.filter(status=WatchStatus.WARNED, household=medical.household).exists()
    assert not MonitoredPerson.objects.filter(status=WatchStatus.WARNED, household=handled.household).exists()

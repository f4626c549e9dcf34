"""Demo monitoring for the demo city (珠海市): a day of partner records about families of 侨光社区 (the demo
caseworker's community) — a death in a dibao household, hospital costs beyond the share of a dibao family's income,
a car registered to a dibao recipient, an edge family's earner registered unemployed (when the demo has an edge family
with its application's income items), a hotline call of a special-hardship elder not visited for a month (when the
elder-care demo has its visiting list) and ordinary records (utility arrears, a school fee waiver, a disability
certificate), plus one record whose ID number no resident has; a person the caseworker watches by hand, with the
reason; then tonight's run, done here, which gives the caseworker open tasks; one of them dismissed with a reason
and one handled by a review, so that the dashboard has figures.

Everything goes through the services (records_receive as a partner, person_add, alert_dismiss, alert_open_review)
and the nightly job itself. Safe to run again: a partner's (feed, reference) is stored once, the night raises no
warning twice, and the hand-watched person and the two closed tasks are only done once."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from civic import demo, idnumbers
from civic.api.authentication import PartnerPrincipal
from civic.models import ApiToken, Job, Region, Resident, User
from civic.models.jobs import ACTIVE_STATES
from eldercare.models import CaredElder, Visit
from relief.models import Entitlement, EntitlementStatus, IncomeItem
from relief.programmes import EXCLUDED_INCOME, Programme

from .feeds import FEEDS
from .models import Alert, AlertStatus, MonitoredPerson, RuleCode
from .nightly import KIND, NightlyWork
from .rules import rules_in_force
from .services import alerts as alert_services
from .services import ingest, people

CITY = "440400000000"
QIAOGUANG = "440402005001"  # 拱北街道 › 侨光社区, the demo caseworker's community
PARTNER = "市政务数据共享平台（示例）"
LIVE = (EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED)
WATCH_REASON = "12345热线来电反映：独居，近期失业，家中无稳定收入；社区纳入关注，每月电话回访。"
DISMISS_REASON = "经入户核实，该车辆为残疾人代步车（登记价值低于规定），按政策不计入家庭财产，无需调整待遇。"
REVIEW_REASON = "人口库通报户内成员{name}已去世，复核家庭保障人口和保障金额。"


@demo.register_loader
def monitoring_load():
    caseworker = User.objects.filter(username="caseworker").first()
    if caseworker is None:
        return "monitoring: skipped (demo accounts missing)"
    today = timezone.localdate()
    rules_in_force()
    sender = _partner()
    new = 0
    for feed, records in _records(today).items():
        if records:
            new += ingest.records_receive(sender=sender, feed_kind=feed, records=records)["new"]
    watched = _watch_by_hand(caseworker)
    job = _night(today)
    closed = _close_two(caseworker)
    raised = sum((job.result or {}).get("raised", {}).values()) if job else 0
    open_tasks = Alert.objects.filter(assignee=caseworker, status=AlertStatus.OPEN).count()
    return (
        f"monitoring: {new} new partner records, {watched} watched by hand, tonight's run raised {raised} "
        f"warnings, {closed} closed now; the caseworker has {open_tasks} open tasks"
    )


def _partner():
    """The city's data-sharing platform, sending every feed (a token nobody holds the key of)."""
    token = ApiToken.objects.filter(name=PARTNER).first()
    if token is None:
        _raw, key_hash, hint = ApiToken.generate()
        token = ApiToken.objects.create(
            name=PARTNER,
            key_hash=key_hash,
            key_hint=hint,
            scopes=[f.scope for f in FEEDS.values()],
            region_id=CITY,
        )
    return PartnerPrincipal(token)


def _record(resident, reference, on, **fields):
    data = {"reference": reference, "id_number": resident.id_number, "name": resident.name, "date": on.isoformat()}
    data.update({k: v for k, v in fields.items() if v is not None})
    return data


def _dibao_families():
    """Live dibao benefits, 侨光's first (the caseworker's), then the others', in a fixed order."""
    benefits = Entitlement.objects.filter(programme=Programme.DIBAO, status__in=LIVE).select_related("payee")
    here = list(benefits.filter(region_id=QIAOGUANG).order_by("pk")[:3])
    return here + list(benefits.exclude(region_id=QIAOGUANG).order_by("pk")[: 3 - len(here)])


def _yearly_income(entitlement):
    return entitlement.basis_income * 12


def _records(today):
    """The day's records by feed. References are fixed: sent again, nothing is stored twice."""
    records = {feed: [] for feed in FEEDS}
    families = _dibao_families()
    if len(families) >= 1:
        members = list(families[0].members.order_by("pk"))
        died = next((m for m in members if m.pk != families[0].payee_id), members[0] if members else None)
        if died is not None:
            records["population"].append(_record(died, "DEMO-POP-0001", today - timedelta(days=6), event="death"))
    if len(families) >= 2 and families[1].payee:
        head = families[1].payee
        # Well above 60 % of the family's yearly income, and above the rule's 5,000 yuan.
        costs = max(Decimal("8600.00"), (_yearly_income(families[1]) * Decimal("0.6") + 3200).quantize(Decimal("1")))
        records["medical"].append(
            _record(head, "DEMO-MED-0001", today - timedelta(days=12), event="inpatient", amount=f"{costs:.2f}")
        )
    if len(families) >= 3 and families[2].payee:
        owner = families[2].payee
        records["property"].append(
            _record(owner, "DEMO-PRO-0001", today - timedelta(days=20), event="vehicle", amount="26800.00")
        )
        records["utility"].append(
            _record(owner, "DEMO-UTL-0001", today - timedelta(days=3), event="electricity", amount="412.60", count=3)
        )
    earner = _edge_earner()
    if earner is not None:
        records["unemployment"].append(_record(earner, "DEMO-UNE-0001", today - timedelta(days=9), event="registered"))
    elder = _elder_not_visited(today)
    if elder is not None:
        records["hotline"].append(_record(elder, "DEMO-HOT-0001", today - timedelta(days=2), event="request"))
    if families:
        child = families[0].members.order_by("-birth_date", "pk").first()
        if child is not None:
            records["school"].append(
                _record(child, "DEMO-SCH-0001", today - timedelta(days=15), event="waiver", amount="1250.00")
            )
        member = families[-1].members.order_by("pk").last()
        if member is not None:
            records["disability"].append(
                _record(member, "DEMO-DIS-0001", today - timedelta(days=30), event="issued", count=3)
            )
    # A visitor from another city: no resident has this number, so it waits for review.
    records["utility"].append(
        {
            "reference": "DEMO-UTL-0002",
            "id_number": _unknown_id_number(),
            "name": "林某",
            "date": (today - timedelta(days=4)).isoformat(),
            "event": "water",
            "amount": "236.00",
            "count": 4,
        }
    )
    return records


def _edge_earner():
    """The wage earner of a live edge family whose application lists income items, if the demo has one."""
    edge = Entitlement.objects.filter(programme=Programme.EDGE, status__in=LIVE, application__isnull=False)
    here = list(edge.filter(region_id=QIAOGUANG).order_by("pk").values_list("application_id", flat=True)[:10])
    there = list(edge.exclude(region_id=QIAOGUANG).order_by("pk").values_list("application_id", flat=True)[:10])
    for application_id in here + there:
        item = (
            IncomeItem.objects.filter(application_id=application_id, kind="wages")
            .exclude(kind__in=EXCLUDED_INCOME)
            .select_related("resident")
            .order_by("-monthly_amount", "pk")
            .first()
        )
        if item is not None and item.resident.died_on is None:
            return item.resident
    return None


def _elder_not_visited(today):
    """A special-hardship elder of 侨光 on the visiting list, not visited within the hotline rule's window."""
    window = next(r for r in rules_in_force() if r.code == RuleCode.ELDER_HOTLINE).window_days or 30
    visited = Visit.objects.filter(visited_on__gte=today - timedelta(days=window)).values("elder_id")
    elder = (
        CaredElder.objects.filter(region_id=QIAOGUANG, ended_on__isnull=True, resident__died_on__isnull=True)
        .exclude(pk__in=visited)
        .select_related("resident")
        .order_by("pk")
        .first()
    )
    return elder.resident if elder else None


def _unknown_id_number():
    """A valid ID number of 香洲区 that no resident has (the same one on every run while nobody takes it)."""
    for sequence in range(1, 999, 2):
        body = f"44040219790315{sequence:03d}"
        number = body + idnumbers.check_char(body)
        if not Resident.objects.filter(id_number=number).exists():
            return number
    raise RuntimeError("No free demo ID number")


def _watch_by_hand(caseworker):
    """A resident of 侨光 no benefit covers, watched by the caseworker after a hotline call. Once."""
    if MonitoredPerson.objects.filter(added_by_hand=True, region_id=QIAOGUANG).exists():
        return 0
    resident = (
        Resident.objects.filter(region_id=QIAOGUANG, died_on__isnull=True, household__isnull=False)
        .exclude(entitlements__status__in=LIVE)
        .exclude(pk__in=MonitoredPerson.objects.values("resident_id"))
        .order_by("pk")
        .first()
    )
    if resident is None:
        return 0
    people.person_add(actor=caseworker, resident=resident, reason=WATCH_REASON)
    return 1


def _night(today):
    """Tonight's run, done here and now, as the worker does it (resuming one left unfinished)."""
    from civic.jobs import job_run

    key = f"{KIND}:{today.isoformat()}"
    job = Job.objects.filter(key=key, state__in=ACTIVE_STATES).first()
    if job is None:
        root = Region.objects.filter(parent=None).order_by("code").first()
        job = Job.objects.create(kind=KIND, key=key, region=root, params={"today": today.isoformat()})
    return job_run(job.pk, NightlyWork())


def _close_two(caseworker):
    """The caseworker dismisses the car (a disabled person's mobility vehicle) with the reason and opens a review
    for the death. Once: nothing is done when a warning of 侨光 is closed already."""
    mine = Alert.objects.filter(region_id=QIAOGUANG, assignee=caseworker)
    if mine.exclude(status=AlertStatus.OPEN).exists():
        return 0
    closed = 0
    car = mine.filter(rule=RuleCode.ASSET, status=AlertStatus.OPEN).order_by("pk").first()
    if car is not None:
        alert_services.alert_dismiss(actor=caseworker, alert=car, reason=DISMISS_REASON)
        closed += 1
    death = mine.filter(rule=RuleCode.DEATH, status=AlertStatus.OPEN, entitlement__isnull=False).order_by("pk").first()
    if death is not None:
        name = death.resident.name if death.resident else ""
        alert_services.alert_open_review(actor=caseworker, alert=death, reason=REVIEW_REASON.format(name=name))
        closed += 1
    return closed

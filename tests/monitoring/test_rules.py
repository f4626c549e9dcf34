"""Each early-warning rule and nightly check on small data: what raises a warning, what does not, and that a second
night raises nothing twice."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from civic.models import Resident
from monitoring.models import Action, AlertStatus, Category, FeedRecord, MatchStatus, MonitoredPerson, WatchStatus

from .conftest import QIAOGUANG, alerts, grant, record


def test_a_death_in_a_dibao_household_makes_a_review_task_for_the_caseworker(dibao_family, caseworker, send, nightly):
    household, entitlement = dibao_family
    father = household.members.get(name="王建国")
    result = send("population", [record(father, "D-1", event="death", on=timezone.localdate() - timedelta(days=3))])
    assert result["matched"] == 1

    job = nightly()

    assert job.state == "done", job.error
    [alert] = alerts("death")
    assert alert.action == Action.REVIEW
    assert alert.household == household and alert.resident == father and alert.entitlement == entitlement
    assert alert.assignee == caseworker and alert.status == AlertStatus.OPEN
    assert alert.record == FeedRecord.objects.get(reference="D-1")
    assert alert.due_on > timezone.localdate()
    watched = MonitoredPerson.objects.get(resident=household.members.get(name="李秀兰"))
    assert watched.category == Category.DIBAO and watched.status == WatchStatus.WARNED

    nightly(timezone.localdate())  # the same night again
    assert len(alerts("death")) == 1


def test_no_review_task_for_a_death_outside_the_programmes_or_long_ago(household_factory, policy, send, nightly):
    edge_home = household_factory(QIAOGUANG, size=2)
    grant(edge_home, "edge", amount="0")
    old = household_factory(QIAOGUANG, size=2)
    grant(old)
    send(
        "population",
        [
            record(edge_home.head, "D-2", event="death"),
            record(old.head, "D-3", event="death", on=timezone.localdate() - timedelta(days=200)),
        ],
    )
    nightly()
    assert alerts("death") == []


def test_medical_costs_above_the_share_of_income_suggest_temporary_aid_or_rigid_support(
    household_factory, policy, send, nightly
):
    on_dibao = household_factory(QIAOGUANG, size=2)
    grant(on_dibao, income="1000")  # 12,000 a year: 60 % is 7,200
    edge = household_factory(QIAOGUANG, size=2)
    grant(edge, "edge", amount="0", income="0")
    small = household_factory(QIAOGUANG, size=2)
    grant(small, income="1000")
    send(
        "medical",
        [
            record(on_dibao.head, "M-1", amount="5000.00"),
            record(on_dibao.members.exclude(pk=on_dibao.head_id).get(), "M-2", amount="2500.00"),
            record(edge.head, "M-3", amount="6000.00"),
            record(small.head, "M-4", amount="7000.00"),  # below 60 % of its income
        ],
    )
    nightly()
    found = {a.household_id: a for a in alerts("medical")}
    assert set(found) == {on_dibao.pk, edge.pk}
    assert found[on_dibao.pk].programme == "temp_expenditure" and found[on_dibao.pk].amount == Decimal("7500.00")
    assert found[on_dibao.pk].base_amount == Decimal("12000.00")
    assert found[edge.pk].programme == "rigid" and found[edge.pk].action == Action.APPLY


def test_a_car_or_a_further_home_of_a_recipient_is_verified(household_factory, policy, send, nightly):
    car = household_factory(QIAOGUANG, size=2)
    grant(car)
    homes = household_factory(QIAOGUANG, size=2)
    grant(homes)
    first_home = household_factory(QIAOGUANG, size=2)
    grant(first_home)
    send(
        "property",
        [
            record(car.head, "P-1", event="vehicle", amount="30000"),
            record(homes.head, "P-2", event="home", count=2),
            record(first_home.head, "P-3", event="home", count=1),
        ],
    )
    nightly()
    assert {a.household_id for a in alerts("asset")} == {car.pk, homes.pk}
    assert all(a.action == Action.VERIFY for a in alerts("asset"))


def test_an_edge_family_whose_earner_is_unemployed_falls_below_the_standard(
    household_factory, policy, caseworker, send, nightly
):
    from relief.models import Application, IncomeItem

    household = household_factory(QIAOGUANG, size=2)
    earner, other = household.head, household.members.exclude(pk=household.head_id).get()
    application = Application.objects.create(
        household=household,
        region_id=household.region_id,
        programme="edge",
        area="urban",
        accepted_at=timezone.now(),
        accepted_by=caseworker,
        overall_due=timezone.localdate(),
        status="approved",
    )
    IncomeItem.objects.create(application=application, resident=earner, kind="wages", monthly_amount=Decimal("2000"))
    IncomeItem.objects.create(application=application, resident=other, kind="pension", monthly_amount=Decimal("400"))
    entitlement = grant(household, "edge", amount="0")
    entitlement.application = application
    entitlement.save()
    send("unemployment", [record(earner, "U-1", event="registered")])
    nightly()
    [alert] = alerts("edge_income")
    assert alert.programme == "dibao" and alert.action == Action.APPLY
    assert alert.amount == Decimal("200.00") and alert.base_amount == Decimal("1100.00")

    send("unemployment", [record(earner, "U-2", event="ended")])
    Resident.objects.filter(pk=earner.pk)  # the registration ended: no new warning for the same family
    nightly()
    assert len(alerts("edge_income")) == 1


def test_a_special_hardship_elder_calling_the_hotline_without_a_recent_visit_gets_an_urgent_visit(
    household_factory, caseworker, send, nightly
):
    from eldercare import services as eldercare_services

    household = household_factory(QIAOGUANG, size=1)
    elder = household.head
    Resident.objects.filter(pk=elder.pk).update(birth_date=timezone.localdate().replace(year=1940))
    cared = eldercare_services.elder_register(
        actor=caseworker, resident=elder, categories=["living_alone"], risk="key", visitor=caseworker
    )
    visited = household_factory(QIAOGUANG, size=1)
    cared2 = eldercare_services.elder_register(
        actor=caseworker, resident=visited.head, categories=["living_alone"], risk="key", visitor=caseworker
    )
    eldercare_services.visit_record(
        actor=caseworker, elder=cared2, visited_on=timezone.localdate() - timedelta(days=5), findings="一切正常"
    )
    send("hotline", [record(elder, "H-1"), record(visited.head, "H-2")])
    nightly()
    [alert] = alerts("elder_hotline")
    assert alert.resident == elder and alert.urgent and alert.action == Action.VISIT
    assert alert.due_on <= timezone.localdate() + timedelta(days=4)
    assert cared.pk


def test_checks_one_person_in_two_households_and_on_two_exclusive_programmes(household_factory, policy, nightly):
    from civic.services import resident_move

    first = household_factory(QIAOGUANG, size=2)
    ent_first = grant(first)
    second = household_factory(QIAOGUANG, size=2)
    mover = first.members.exclude(pk=first.head_id).get()
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.get(username="root-factory")
    resident_move(actor=root, resident=mover, to_household=second, relationship="other")
    ent_second = grant(second, "edge", amount="0")

    nightly()

    [moved] = alerts("two_households")
    assert moved.resident == mover and moved.entitlement == ent_first
    [both] = alerts("two_programmes")
    assert both.resident == mover and {both.entitlement, both.other_entitlement} == {ent_first, ent_second}


def test_a_benefit_paid_after_the_payees_death_is_flagged_with_the_amount(household_factory, policy, nightly):
    from relief.models import Batch, BatchLine

    household = household_factory(QIAOGUANG, size=1)
    entitlement = grant(household, "tekun", amount="1500.00")
    today = timezone.localdate()
    month = today.replace(day=1)
    previous = (month - timedelta(days=1)).replace(day=1)
    Resident.objects.filter(pk=household.head_id).update(died_on=previous - timedelta(days=10))
    for m in (previous, month):
        batch = Batch.objects.create(region_id="440402000000", month=m, cutoff_at=timezone.now())
        BatchLine.objects.create(
            id=(m.year * 100 + m.month) * 1_000_000_000 + entitlement.pk,
            batch=batch,
            entitlement=entitlement,
            month=m,
            region_id=household.region_id,
            household=household,
            payee=household.head,
            programme="tekun",
            covered_members=1,
            amount=Decimal("1500.00"),
            adjustment=Decimal("0"),
            total=Decimal("1500.00"),
            status="paid",
        )
    nightly()
    [alert] = alerts("paid_after_death")
    assert alert.entitlement == entitlement and alert.amount == Decimal("3000.00")
    person = MonitoredPerson.objects.filter(resident_id=household.head_id).first()
    assert person is None or person.status == WatchStatus.ENDED


def test_one_account_for_two_unrelated_households(household_factory, policy, nightly):
    a = household_factory(QIAOGUANG, size=1)
    b = household_factory(QIAOGUANG, size=1)
    c = household_factory(QIAOGUANG, size=1)
    ent_a = grant(a, account="6217000011112222")
    ent_b = grant(b, account="6217000011112222")
    grant(c, account="6217000099998888")
    nightly()
    [alert] = alerts("shared_account")
    assert {alert.entitlement, alert.other_entitlement} == {ent_a, ent_b}


def test_unmatched_records_wait_for_review_and_match_once_the_resident_is_registered(
    household_factory, policy, send, nightly
):
    from tests.conftest import id_number

    stranger = id_number(area="440402", birth="19900101", seq=777)
    result = send("population", [{"reference": "D-9", "id_number": stranger, "date": timezone.localdate().isoformat()}])
    assert result["unmatched"] == 1 and result["unmatched_references"] == ["D-9"]
    assert FeedRecord.objects.get(reference="D-9").match == MatchStatus.UNMATCHED
    household = household_factory(QIAOGUANG, size=1)
    Resident.objects.filter(pk=household.head_id).update(id_number=stranger)
    nightly()
    assert FeedRecord.objects.get(reference="D-9").match == MatchStatus.MATCHED


def test_a_replayed_feed_stores_nothing_twice(dibao_family, send):
    household, _ = dibao_family
    batch = [record(m, f"R-{m.pk}", amount="100") for m in household.members.all()]
    first = send("medical", batch)
    again = send("medical", batch)
    assert first["new"] == 3 and first["repeated"] == 0
    assert again["new"] == 0 and again["repeated"] == 3
    assert FeedRecord.objects.count() == 3


def test_rules_switched_off_raise_nothing(dibao_family, send, nightly):
    from monitoring.models import Rule
    from monitoring.rules import rules_in_force

    rules_in_force()
    Rule.objects.filter(code="death").update(enabled=False)
    household, _ = dibao_family
    send("population", [record(household.head, "D-5", event="death")])
    nightly()
    assert alerts("death") == []

"""The money engine on PostgreSQL: a new standard simulated, published by a second person and recomputed with
back-pay; monthly batches exactly once; the bank's results; subsidies; jobs refused while they run."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from civic.errors import ApplicationError
from civic.models import Job, JobState
from civic.roles import Role
from relief import rules
from relief.models import Adjustment, Batch, BatchLine, BatchState, Entitlement, LineStatus, PolicyState
from relief.services import disbursement, policies, subsidies
from tests.relief.money_support import (
    CITY,
    QIAOGUANG,
    XIANGZHOU,
    dibao_entitlement,
    published_policy,
    tekun_entitlement,
)

D = Decimal
OTHER_DISTRICT_COMMUNITY = "440403100001"  # 斗门区 › 井岸镇 › 新堂社区


def this_month():
    return timezone.localdate().replace(day=1)


def months_back(n):
    day = this_month()
    for _ in range(n):
        day = (day - timedelta(days=1)).replace(day=1)
    return day


@pytest.fixture
def people(staff_factory):
    return {
        "manager": staff_factory(Role.CITY_MANAGER, CITY, username="mgr1"),
        "manager2": staff_factory(Role.CITY_MANAGER, CITY, username="mgr2"),
        "approver": staff_factory(Role.DISTRICT_APPROVER, XIANGZHOU, username="district"),
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
    }


@pytest.fixture
def old(regions):
    return published_policy(standard="1100")


@pytest.fixture
def families(household_factory, old):
    """Three dibao families in 侨光 (3, 2 and 1 people) and one 特困 person."""
    made = [
        dibao_entitlement(household_factory(QIAOGUANG, size=3), policy=old, income="700"),
        dibao_entitlement(household_factory(QIAOGUANG, size=2), policy=old, income="0"),
        dibao_entitlement(household_factory(QIAOGUANG, size=1), policy=old, income="300"),
        tekun_entitlement(household_factory(QIAOGUANG, size=1), policy=old),
    ]
    return made


def run(callback, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return callback()


def generate(actor, month, capture, region=CITY):
    return run(lambda: disbursement.batch_generate(actor=actor, region_code=region, month=month), capture)


def amounts():
    return {e.pk: e.amount for e in Entitlement.objects.all()}


# --- the basis a decision records ----------------------------------------------------------------------------------


def test_the_recorded_basis_gives_back_the_quoted_amount_at_any_standard():
    policy = rules.Policy(
        dibao_standard=D("1100"),
        floor_share=D("0.2"),
        topups=(rules.TopUpRule("minor", "percent", D("40")), rules.TopUpRule("serious_illness", "fixed", D("150"))),
    )
    family = rules.Household(
        members=(
            rules.Member(age=40, incomes=(rules.Income("wages", D("1400")),)),
            rules.Member(age=38, incomes=(rules.Income("wages", D("700")),), serious_illness=True),
            rules.Member(age=10),
        )
    )
    quote = rules.dibao(policy, family)
    assert quote.amount == D("1790.00")  # 3,300 − 2,100 + 440 + 150
    for standard in ("1100", "1221", "1300.50"):
        again = rules.dibao(rules.Policy(**{**policy.__dict__, "dibao_standard": D(standard)}), family)
        assert quote.basis.amount(D(standard), policy.rounding) == again.amount
    tekun = rules.tekun(
        rules.Policy(dibao_standard=D("1221"), care={("dispersed", "full"): D("0.4")}), None, failures=5
    )
    assert tekun.basis.amount(D("1300"), "fen") == D("2210.00")  # (1.3 + 0.4) × 1,300


# --- standards: draft, simulate, publish, recompute, back-pay ------------------------------------------------------


def draft(people, effective, standard="1300"):
    return policies.policy_draft(
        actor=people["manager"],
        region_code=CITY,
        area="urban",
        effective_from=effective,
        name="2026年新标准",
        dibao_standard=D(standard),
    )


def test_a_new_standard_is_simulated_then_published_by_someone_else_and_recomputed_with_back_pay(
    people, families, django_capture_on_commit_callbacks
):
    two_ago, one_ago = months_back(2), months_back(1)
    for month in (two_ago, one_ago):
        generate(people["manager"], month, django_capture_on_commit_callbacks)
    before = amounts()
    policy = draft(people, two_ago)

    policy = policies.policy_simulate(actor=people["manager"], policy=policy)
    totals = policy.simulation["totals"]
    assert totals["entitlements"] == 4 and totals["changed"] == 4
    assert D(totals["old_total"]) == sum(before.values())
    # dibao: (1300 − 1100) × members; 特困: 1.7 × 200
    rise = {families[0].pk: D("600"), families[1].pk: D("400"), families[2].pk: D("200"), families[3].pk: D("340")}
    assert D(totals["new_total"]) == sum(before.values()) + sum(rise.values())
    assert D(totals["back_pay"]) == 2 * sum(rise.values())
    assert [r["name"] for r in policy.simulation["regions"]] == ["香洲区"]

    with pytest.raises(ApplicationError) as refused:
        policies.policy_publish(actor=people["manager"], policy=policy)
    assert refused.value.code == "separation_of_duties"
    policy, job = run(
        lambda: policies.policy_publish(actor=people["manager2"], policy=policy), django_capture_on_commit_callbacks
    )

    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == 4 == job.total
    assert policy.state == PolicyState.PUBLISHED
    after = amounts()
    for entitlement in families:
        assert after[entitlement.pk] == before[entitlement.pk] + rise[entitlement.pk]
        change = Adjustment.objects.get(entitlement=entitlement, policy=policy)
        assert (change.old_amount, change.new_amount) == (before[entitlement.pk], after[entitlement.pk])
        assert change.months == 2 and change.amount == 2 * rise[entitlement.pk]
        assert "1,300.00" in change.reason
    assert Entitlement.objects.filter(policy=policy).count() == 4

    # This month's batch pays the new amount plus the back-pay, once.
    generate(people["manager"], this_month(), django_capture_on_commit_callbacks)
    line = BatchLine.objects.get(entitlement=families[0], month=this_month())
    assert line.amount == after[families[0].pk] and line.adjustment == 2 * D("600")
    assert line.total == line.amount + line.adjustment
    assert not Adjustment.objects.filter(policy=policy, paid_month__isnull=True).exists()


def test_publishing_again_or_editing_a_published_policy_is_refused_and_editing_clears_the_simulation(people, old):
    policy = draft(people, months_back(0))
    policy = policies.policy_simulate(actor=people["manager"], policy=policy)
    policy = policies.policy_update(actor=people["manager"], policy=policy, dibao_standard=D("1310"))
    assert policy.simulation is None
    with pytest.raises(ApplicationError) as refused:
        policies.policy_publish(actor=people["manager2"], policy=policy)
    assert refused.value.code == "not_simulated"


def test_a_standard_starts_on_the_first_of_a_month_and_after_the_latest(people, old):
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        draft(people, date(2026, 12, 15))
    assert "first day of a month" in str(refused.value.fields["effective_from"])
    with pytest.raises(ApplicationError) as refused:
        draft(people, date(2019, 1, 1))
    assert "2020-01-01" in str(refused.value.fields["effective_from"])


def test_a_districts_own_policy_keeps_its_entitlements_out_of_a_city_recompute(
    people, families, household_factory, django_capture_on_commit_callbacks
):
    district_policy = published_policy(region="440403000000", standard="1150")
    doumen = dibao_entitlement(household_factory(OTHER_DISTRICT_COMMUNITY, size=2), policy=district_policy)
    policy = policies.policy_simulate(actor=people["manager"], policy=draft(people, this_month()))
    assert policy.simulation["totals"]["entitlements"] == 4
    run(lambda: policies.policy_publish(actor=people["manager2"], policy=policy), django_capture_on_commit_callbacks)
    doumen.refresh_from_db()
    assert doumen.amount == D("2300.00") and doumen.policy == district_policy


def test_a_future_standard_waits_for_its_day(people, families, django_capture_on_commit_callbacks):
    next_month = (this_month() + timedelta(days=32)).replace(day=1)
    policy = policies.policy_simulate(actor=people["manager"], policy=draft(people, next_month))
    policy, job = policies.policy_publish(actor=people["manager2"], policy=policy)
    assert job is None
    assert run(lambda: policies.policies_apply_due(), django_capture_on_commit_callbacks) == 0
    assert run(lambda: policies.policies_apply_due(next_month), django_capture_on_commit_callbacks) == 1
    policy.refresh_from_db()
    assert policy.applied_at is not None
    assert Entitlement.objects.get(pk=families[1].pk).amount == D("2600.00")


def test_a_reviewed_amount_keeps_its_difference_under_a_new_standard(
    people, families, django_capture_on_commit_callbacks
):
    entitlement = families[1]  # 2 × 1,100 = 2,200
    Entitlement.objects.filter(pk=entitlement.pk).update(amount=D("2000"), basis_offset=D("-200"))
    policy = policies.policy_simulate(actor=people["manager"], policy=draft(people, this_month()))
    run(lambda: policies.policy_publish(actor=people["manager2"], policy=policy), django_capture_on_commit_callbacks)
    assert Entitlement.objects.get(pk=entitlement.pk).amount == D("2400.00")


# --- monthly batches -----------------------------------------------------------------------------------------------


def test_a_batch_has_one_line_per_entitlement_and_a_rerun_adds_only_what_is_missing(
    people, families, household_factory, old, django_capture_on_commit_callbacks
):
    month = this_month()
    job = generate(people["manager"], month, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.state == JobState.DONE
    batch = Batch.objects.get(month=month)
    assert batch.region_id == XIANGZHOU and batch.state == BatchState.DRAFT
    assert batch.line_count == 4
    assert batch.total == sum(e.amount for e in Entitlement.objects.all())
    line = BatchLine.objects.get(entitlement=families[0])
    assert (line.covered_members, line.account) == (3, "6217000000000001")
    assert BatchLine.objects.with_household_size().get(pk=line.pk).household_size == 3
    assert line.pk == int(f"{this_month():%Y%m}") * 10**9 + families[0].pk  # the number says month and benefit

    late = dibao_entitlement(household_factory(QIAOGUANG, size=2), policy=old)
    generate(people["manager"], month, django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert BatchLine.objects.filter(month=month).count() == 5 == batch.line_count
    assert BatchLine.objects.filter(entitlement=late).count() == 1
    assert batch.total == sum(BatchLine.objects.values_list("total", flat=True))


def test_ended_suspended_and_not_yet_started_benefits_are_not_paid(
    people, families, django_capture_on_commit_callbacks
):
    Entitlement.objects.filter(pk=families[0].pk).update(status="suspended")
    Entitlement.objects.filter(pk=families[1].pk).update(starts_on=this_month() + timedelta(days=40))
    Entitlement.objects.filter(pk=families[2].pk).update(status="ended", ends_on=months_back(1))
    generate(people["manager"], this_month(), django_capture_on_commit_callbacks)
    assert list(BatchLine.objects.values_list("entitlement_id", flat=True)) == [families[3].pk]


def test_a_second_run_is_refused_while_one_runs(people, families, regions):
    job = disbursement.batch_generate(actor=people["manager"], region_code=CITY, month=this_month())  # not committed
    assert job.state == JobState.QUEUED
    with pytest.raises(ApplicationError) as refused:
        disbursement.batch_generate(actor=people["manager2"], region_code=CITY, month=this_month())
    assert refused.value.status == 409 and refused.value.code == "job_running"


def test_a_stale_run_is_resumed_not_duplicated(people, families, settings, django_capture_on_commit_callbacks):
    job = disbursement.batch_generate(actor=people["manager"], region_code=CITY, month=this_month())
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    again = generate(people["manager2"], this_month(), django_capture_on_commit_callbacks)
    assert again.pk == job.pk
    assert Job.objects.get(pk=job.pk).state == JobState.DONE
    assert BatchLine.objects.count() == 4


def test_a_batch_is_approved_by_someone_else_then_sent(people, families, django_capture_on_commit_callbacks):
    generate(people["manager"], this_month(), django_capture_on_commit_callbacks)
    batch = Batch.objects.get()
    with pytest.raises(ApplicationError) as refused:
        disbursement.batch_approve(actor=people["manager"], batch=batch)
    assert refused.value.code == "separation_of_duties"
    with pytest.raises(ApplicationError) as refused:
        disbursement.batch_approve(actor=people["caseworker"], batch=batch)
    assert refused.value.status == 403
    with pytest.raises(ApplicationError) as refused:
        disbursement.batch_send(actor=people["approver"], batch=batch)
    assert refused.value.code == "wrong_state"
    batch = disbursement.batch_approve(actor=people["approver"], batch=batch)
    assert (batch.state, batch.approved_by) == (BatchState.APPROVED, people["approver"])
    batch = disbursement.batch_send(actor=people["manager"], batch=batch)
    assert batch.state == BatchState.SENT


def sent_batch(people, capture, month=None):
    generate(people["manager"], month or this_month(), capture)
    batch = Batch.objects.get(month=month or this_month())
    disbursement.batch_approve(actor=people["approver"], batch=batch)
    return disbursement.batch_send(actor=people["approver"], batch=batch)


def test_bank_results_are_all_or_nothing_and_failed_lines_are_carried_into_the_next_batch(
    people, families, django_capture_on_commit_callbacks
):
    month = months_back(1)
    batch = sent_batch(people, django_capture_on_commit_callbacks, month)
    lines = list(BatchLine.objects.filter(batch=batch).order_by("pk"))
    bad = [{"line": lines[0].pk, "status": "paid"}, {"line": lines[1].pk, "status": "failed", "reason": ""}]
    with pytest.raises(ApplicationError) as refused:
        disbursement.results_apply(actor=people["approver"], batch=batch, results=bad)
    assert set(refused.value.fields) == {"results.2"}
    assert not BatchLine.objects.exclude(status=LineStatus.PENDING).exists()

    results = [{"line": line.pk, "status": "paid"} for line in lines[:3]]
    results.append({"line": lines[3].pk, "status": "failed", "reason": "账户已销户"})
    assert disbursement.results_apply(actor=people["approver"], batch=batch, results=results) == {
        "paid": 3,
        "failed": 1,
    }
    # The same file again changes nothing; a contradicting result is refused.
    disbursement.results_apply(actor=people["approver"], batch=batch, results=results)
    with pytest.raises(ApplicationError):
        disbursement.results_apply(
            actor=people["approver"], batch=batch, results=[{"line": lines[0].pk, "status": "failed", "reason": "x"}]
        )

    assert disbursement.failed_carry(actor=people["approver"], batch=batch) == 1
    batch.refresh_from_db()
    assert batch.state == BatchState.RECONCILED
    generate(people["manager"], this_month(), django_capture_on_commit_callbacks)
    carried = BatchLine.objects.get(entitlement_id=lines[3].entitlement_id, month=this_month())
    assert carried.adjustment == lines[3].total and carried.total == carried.amount + lines[3].total


def test_a_failed_line_is_reissued_with_the_corrected_account(people, families, django_capture_on_commit_callbacks):
    batch = sent_batch(people, django_capture_on_commit_callbacks)
    line = BatchLine.objects.filter(batch=batch).first()
    disbursement.results_apply(
        actor=people["approver"], batch=batch, results=[{"line": line.pk, "status": "failed", "reason": "户名不符"}]
    )
    Entitlement.objects.filter(pk=line.entitlement_id).update(account="6217999999999999")
    assert disbursement.failed_reissue(actor=people["approver"], batch=batch) == 1
    line.refresh_from_db()
    assert (line.status, line.attempts, line.account) == (LineStatus.PENDING, 2, "6217999999999999")


def test_a_recovery_larger_than_a_month_pays_nothing_and_carries_the_rest(
    people, families, django_capture_on_commit_callbacks
):
    entitlement = families[2]  # 1 × 1,100 − 300 = 800
    Adjustment.objects.create(entitlement=entitlement, kind="standard_change", amount=D("-1000"), reason="追回")
    generate(people["manager"], this_month(), django_capture_on_commit_callbacks)
    line = BatchLine.objects.get(entitlement=entitlement)
    assert (line.total, line.adjustment) == (D("0.00"), D("-800.00"))
    rest = Adjustment.objects.get(source_line=line)
    assert rest.amount == D("-200.00") and rest.paid_month is None


def test_batches_outside_the_callers_district_are_not_found(
    people, families, staff_factory, django_capture_on_commit_callbacks
):
    generate(people["manager"], this_month(), django_capture_on_commit_callbacks)
    outsider = staff_factory(Role.DISTRICT_APPROVER, "440403", username="doumen")
    with pytest.raises(ApplicationError) as refused:
        disbursement.batch_approve(actor=outsider, batch=Batch.objects.get())
    assert refused.value.status == 404


# --- subsidies -----------------------------------------------------------------------------------------------------


def test_price_subsidy_pays_standard_times_the_rise_per_person_when_a_threshold_is_met(
    people, families, django_capture_on_commit_callbacks
):
    def record(month, cpi, food=None):
        return run(
            lambda: subsidies.cpi_record(
                actor=people["manager"], region_code=CITY, month=month, cpi=cpi, food_cpi=food
            ),
            django_capture_on_commit_callbacks,
        )

    record("2026-06", "3.2", "5.0")  # neither threshold
    assert not Adjustment.objects.exists()
    reading, _job = record("2026-07", "3.8")
    # 1,100 × 3.8% = 41.80 per person
    assert Adjustment.objects.get(entitlement=families[0], cpi_reading=reading).amount == D("125.40")
    assert Adjustment.objects.get(entitlement=families[3], cpi_reading=reading).amount == D("41.80")
    reading, _job = record("2026-08", "3.6", "6.5")  # both: the higher rise
    assert Adjustment.objects.get(entitlement=families[1], cpi_reading=reading).amount == D("143.00")
    with pytest.raises(ApplicationError) as refused:
        record("2026-08", "3.6")
    assert refused.value.status == 409


def test_one_off_subsidy_pays_each_covered_person_of_the_chosen_programmes(
    people, families, django_capture_on_commit_callbacks
):
    subsidy, job = run(
        lambda: subsidies.one_off_grant(
            actor=people["manager"],
            region_code=CITY,
            decision="市政府2026年一次性生活补贴",
            programmes=["dibao"],
            amount="200",
        ),
        django_capture_on_commit_callbacks,
    )
    assert Job.objects.get(pk=job.pk).result == {"adjustments": 3, "amount": "1200.00"}
    generate(people["manager"], this_month(), django_capture_on_commit_callbacks)
    assert BatchLine.objects.get(entitlement=families[0]).adjustment == D("600.00")
    assert BatchLine.objects.get(entitlement=families[3]).adjustment == D("0.00")


def test_subsidy_input_is_checked_field_by_field(people, regions):
    with pytest.raises(ApplicationError) as refused:
        subsidies.one_off_grant(
            actor=people["manager"], region_code=CITY, decision="", programmes=["edge"], amount="-1"
        )
    assert set(refused.value.fields) == {"decision", "programmes", "amount"}
    with pytest.raises(ApplicationError) as refused:
        subsidies.cpi_record(actor=people["caseworker"], region_code=CITY, month="2026-07", cpi="4")
    assert refused.value.status == 403


def test_whoever_ran_any_generation_of_a_batch_may_not_approve_it(
    people, families, household_factory, old, django_capture_on_commit_callbacks
):
    generate(people["manager"], this_month(), django_capture_on_commit_callbacks)
    dibao_entitlement(household_factory(QIAOGUANG, size=2), policy=old)
    generate(people["manager2"], this_month(), django_capture_on_commit_callbacks)  # adds the late line
    batch = Batch.objects.get()
    for generator in ("manager", "manager2"):
        with pytest.raises(ApplicationError) as refused:
            disbursement.batch_approve(actor=people[generator], batch=batch)
        assert refused.value.code == "separation_of_duties"
    assert disbursement.batch_approve(actor=people["approver"], batch=batch).state == BatchState.APPROVED

"""Demo relief data for the demo city (珠海市): the 2023 urban and rural dibao standard of 1,221 yuan, benefits for
some households and last month's payments."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from civic import demo
from civic.models import Household, Resident, User

from .models import Batch, BatchLine, BatchState, Entitlement, LineStatus, PolicyTopUp, ReliefPolicy
from .models.policy import Area, PolicyState

CITY = "440400000000"
TOPUPS = [  # 分类施保, highest one only
    ("minor", None, "percent", "20"),
    ("severe_disability", None, "percent", "30"),
    ("serious_illness", None, "percent", "30"),
    ("elderly", 70, "percent", "20"),
    ("one_person", None, "percent", "10"),
]


@demo.register_loader
@transaction.atomic
def policies_load():
    for area in Area.values:
        policy, created = ReliefPolicy.objects.update_or_create(
            region_id=CITY,
            area=area,
            effective_from=date(2023, 7, 1),
            defaults={
                "name": "珠海市城乡最低生活保障标准（2023年）",
                "dibao_standard": Decimal("1221.00"),
                "tekun_basic_value": Decimal("1.5"),
                "disposable_income_annual": Decimal("70000.00"),
                "temp_aid_street_limit": Decimal("3000.00"),
                "temp_aid_district_limit": Decimal("20000.00"),
                "state": PolicyState.PUBLISHED,
            },
        )
        if created:
            PolicyTopUp.objects.bulk_create(
                PolicyTopUp(policy=policy, category=c, min_age=age, kind=k, value=Decimal(v)) for c, age, k, v in TOPUPS
            )
    return "relief policy: dibao standard 1,221 yuan (urban and rural), from 2023-07-01"


DEMO_BENEFITS = 120  # households on dibao or 特困 in the demo city


@demo.register_loader
def benefits_load():
    """Benefits for some of the demo households (dibao by household size and a declared income; 特困 for people
    living alone), with their payment accounts, and last month's batch already paid. Loaded once."""
    if Entitlement.objects.exists():
        return f"benefits: {Entitlement.objects.count()} already there"
    rng = random.Random(2026)
    policies = {p.area: p for p in ReliefPolicy.objects.filter(region_id=CITY, state=PolicyState.PUBLISHED)}
    sizes = dict(
        Resident.objects.filter(household__region__code__startswith="4404")
        .values_list("household_id")
        .annotate(n=Count("pk"))
        .values_list("household_id", "n")
    )
    chosen = Household.objects.filter(pk__in=sizes, head__isnull=False).order_by("pk")[:DEMO_BENEFITS]
    today = timezone.localdate()
    starts = date(today.year - 1, today.month, 1)
    made = []
    with transaction.atomic():
        for household in chosen:
            policy = policies["rural" if household.is_rural else "urban"]
            n = sizes[household.pk]
            common = {
                "household": household,
                "region_id": household.region_id,
                "starts_on": starts,
                "review_due": date(today.year + 1, 1, 1),
                "policy": policy,
                "payee_id": household.head_id,
                "account": f"6217{household.pk:015d}",
            }
            if n == 1 and rng.random() < 0.5:
                share = policy.tekun_basic_value + policy.care_self_dispersed
                amount = (policy.dibao_standard * share).quantize(Decimal("0.01"))
                made.append(Entitlement(programme="tekun", amount=amount, covered_count=1, basis_share=share, **common))
            else:
                income = Decimal(rng.randrange(0, int(policy.dibao_standard * n * Decimal("0.6")), 50))
                amount = (policy.dibao_standard * n - income).quantize(Decimal("0.01"))
                made.append(
                    Entitlement(
                        programme="dibao",
                        amount=amount,
                        covered_count=n,
                        basis_members=n,
                        basis_income=income,
                        **common,
                    )
                )
        Entitlement.objects.bulk_create(made)
        # Who each benefit covers: the household's members (特困: the one person).
        through = Entitlement.members.through
        through.objects.bulk_create(
            through(entitlement_id=e.pk, resident_id=r)
            for e in Entitlement.objects.filter(pk__in=[m.pk for m in made])
            for r in Resident.objects.filter(household_id=e.household_id).values_list("pk", flat=True)
        )
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    _paid_batch(last_month)
    return f"benefits: {len(made)} entitlements, the batch of {last_month:%Y-%m} paid"


def _paid_batch(month):
    """Generate a month's batches through the job and record them as approved, sent and paid (demo history)."""
    from civic.jobs import job_run
    from civic.models import Job, Region

    from .money.batches import BatchWork

    job = Job.objects.create(
        kind="relief.disburse",
        key=f"relief.disburse:{CITY}:{month:%Y-%m}",
        region=Region.objects.get(pk=CITY),
        params={"region": CITY, "month": month.isoformat(), "by": None},
    )
    job_run(job.pk, BatchWork())
    approver = User.objects.filter(username="approver").first()
    now = timezone.now()
    Batch.objects.filter(month=month).update(
        state=BatchState.RECONCILED, approved_by=approver, approved_at=now, sent_at=now, reconciled_at=now
    )
    BatchLine.objects.of_month(month).update(status=LineStatus.PAID, result_at=now)

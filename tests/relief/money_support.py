"""Helpers for the money-engine tests: entitlements made straight in the database (the workflow that grants
them is tested elsewhere), with the basis a decision records."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from civic.models import Household, Resident
from relief.models import Entitlement, ReliefPolicy

CITY = "440400000000"
XIANGZHOU = "440402000000"
QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区
JINWAN_COMMUNITY = None  # filled lazily: any community outside 香洲区


def published_policy(region=CITY, standard="1100", effective=date(2020, 1, 1), area="urban", **extra):
    return ReliefPolicy.objects.create(
        state="published",
        region_id=region,
        area=area,
        effective_from=effective,
        name=f"标准{standard}",
        dibao_standard=Decimal(standard),
        applied_at=timezone.now(),
        **extra,
    )


def dibao_entitlement(
    household, *, policy, members=None, income="0", starts=date(2026, 1, 1), account="6217000000000001"
):
    """A dibao entitlement worked out as the rules do: standard × members − income."""
    members = members or Resident.objects.filter(household=household).count()
    income = Decimal(income)
    amount = (policy.dibao_standard * members - income).quantize(Decimal("0.01"))
    entitlement = Entitlement.objects.create(
        household=household,
        region_id=household.region_id,
        programme="dibao",
        amount=amount,
        starts_on=starts,
        review_due=date(2027, 1, 1),
        policy=policy,
        covered_count=members,
        payee_id=household.head_id,
        account=account,
        basis_members=members,
        basis_income=income,
    )
    entitlement.members.set(Resident.objects.filter(household=household))
    return entitlement


def tekun_entitlement(household, *, policy, share="1.7", starts=date(2026, 1, 1)):
    """特困: basic 1.3 × standard plus care 40% of the standard (fully dependent), by default."""
    share = Decimal(share)
    return Entitlement.objects.create(
        household=household,
        region_id=household.region_id,
        programme="tekun",
        amount=(policy.dibao_standard * share).quantize(Decimal("0.01")),
        starts_on=starts,
        review_due=date(2027, 1, 1),
        policy=policy,
        covered_count=1,
        payee_id=household.head_id,
        account="6217000000000009",
        basis_share=share,
    )


def household_in(region_code, household_factory, size=2):
    household = household_factory(region_code, size=size)
    return Household.objects.get(pk=household.pk)

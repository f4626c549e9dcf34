from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from civic.models import Resident
from relief.models import PolicyTopUp, ReliefPolicy

from .support import QIAOGUANG


@pytest.fixture
def policy(regions):
    """A city policy like DOMAIN.md's worked example: standard 1,100 and a 40% top-up for minors."""
    p = ReliefPolicy.objects.create(
        state="published",
        region_id="440400000000",
        area="urban",
        effective_from=date(2020, 1, 1),
        name="测试",
        dibao_standard=Decimal("1100"),
    )
    PolicyTopUp.objects.create(policy=p, category="minor", kind="percent", value=Decimal("40"))
    return p


@pytest.fixture
def household(household_factory, policy):
    """The worked example's family: two earners (1,400 and 700) and a child of ten."""
    household = household_factory(QIAOGUANG, size=3)
    child = household.members.get(relationship="child")
    Resident.objects.filter(pk=child.pk).update(birth_date=timezone.localdate() - timedelta(days=365 * 10 + 5))
    return household

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from relief.models import ReliefPolicy


def policy(start):
    return ReliefPolicy.objects.create(
        region_id="440400000000", area="urban", effective_from=start, name="测试", dibao_standard=Decimal("1100")
    )


def test_a_policy_in_force_is_read_only_in_the_admin_and_a_future_one_is_editable(admin_client, regions):
    in_force = policy(date(2020, 1, 1))
    future = policy(timezone.localdate() + timedelta(days=30))
    page = admin_client.get(f"/admin/relief/reliefpolicy/{in_force.pk}/change/").content.decode()
    assert 'name="dibao_standard"' not in page and "1100" in page
    page = admin_client.get(f"/admin/relief/reliefpolicy/{future.pk}/change/").content.decode()
    assert 'name="dibao_standard"' in page

"""Demo relief policy for the demo city (珠海市): the 2023 urban and rural dibao standard of 1,221 yuan."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from civic import demo

from .models import PolicyTopUp, ReliefPolicy
from .models.policy import Area

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
            },
        )
        if created:
            PolicyTopUp.objects.bulk_create(
                PolicyTopUp(policy=policy, category=c, min_age=age, kind=k, value=Decimal(v)) for c, age, k, v in TOPUPS
            )
    return "relief policy: dibao standard 1,221 yuan (urban and rural), from 2023-07-01"

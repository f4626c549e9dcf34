"""Demo elder care for the demo city (珠海市): DOMAIN.md's meal policy (a 12-yuan lunch: low-income elderly pay 1,
80 and over 3, 60 to 79 pay 5; city and district 3 each; the street the rest; settled monthly), meal halls in
拱北街道 and 斗门区, the demo operator bound to the 夏湾 hall, some elderly of the demo population enrolled with a
few meals, and special-hardship elderly of 侨光社区 visited by the demo caseworker (some overdue). Safe to run
again: what exists is left alone."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from civic import demo
from civic.errors import ApplicationError
from civic.models import Resident, User

from . import services
from .models import (
    CaredElder,
    ElderCategory,
    Enrolment,
    HallMenu,
    Meal,
    MealHall,
    MealPolicy,
    MealTier,
    Risk,
    Tier,
)

CITY = "440400000000"
QIAOGUANG = "440402005001"  # 拱北街道 › 侨光社区, the demo caseworker's community
XIAWAN = "440402005003"  # 拱北街道 › 夏湾社区, the demo operator's community
XINTANG = "440403100001"  # 斗门区 › 井岸镇 › 新堂社区

# (tier, the elder pays, city, district): DOMAIN.md's 12-yuan example.
TIERS = [(Tier.LOW_INCOME, "1"), (Tier.AGE_80, "3"), (Tier.AGE_60, "5")]

# (name, run by, address, community, seats, hours, {meal: price}, the demo operator's hall)
HALLS = [
    (
        "侨光社区长者饭堂",
        "珠海颐康餐饮服务有限公司",
        "侨光路23号首层",
        QIAOGUANG,
        60,
        "7:00-8:30 11:00-13:00 17:00-18:30",
        {"breakfast": "8", "lunch": "12", "dinner": "12"},
        False,
    ),
    (
        "夏湾社区长者饭堂",
        "珠海乐龄社会工作服务中心",
        "夏湾路118号",
        XIAWAN,
        40,
        "11:00-13:00 17:00-18:30",
        {"lunch": "12", "dinner": "12"},
        True,
    ),
    (
        "新堂社区长者助餐点",
        "斗门区井岸镇颐养之家",
        "新堂路8号",
        XINTANG,
        30,
        "7:00-8:30 11:00-12:30",
        {"breakfast": "6", "lunch": "12"},
        False,
    ),
]

ENROLLED_PER_COMMUNITY = 6
DEMO_ELDERS = [  # (categories, risk, days since the last visit or None)
    ([ElderCategory.LIVING_ALONE], Risk.HIGH, 20),
    ([ElderCategory.EMPTY_NEST, ElderCategory.DISABLED_OR_DEMENTIA], Risk.KEY, 45),
    ([ElderCategory.LIVING_ALONE, ElderCategory.SEVERELY_DISABLED], Risk.HIGH, 3),
    ([ElderCategory.EMPTY_NEST], Risk.GENERAL, 12),
    ([ElderCategory.FAMILY_PLANNING], Risk.KEY, None),
]
FINDINGS = [
    "老人精神状态良好，居家环境整洁，冰箱有存粮。",
    "独居，自述近期血压偏高，已提醒按时服药。",
    "子女在外地，每周电话联系；门口堆放杂物，已协助清理。",
]


@demo.register_loader
def eldercare_load():
    policy = _policy()
    halls = _halls()
    people = _accounts()
    enrolled = meals = elders = 0
    if people["reviewer"] and people["caseworker"]:
        enrolled = _enrolments(people["reviewer"])
        meals = _meals(halls, people)
        elders = _elders(people["caseworker"])
    return (
        f"elder care: meal policy “{policy.name}”, {len(halls)} meal halls, {enrolled} elderly enrolled, "
        f"{meals} meals, {elders} special-hardship elderly on the visiting list"
    )


@transaction.atomic
def _policy():
    policy, created = MealPolicy.objects.get_or_create(
        region_id=CITY,
        effective_from=date(2024, 1, 1),
        defaults={"name": "珠海市长者饭堂助餐补贴（示例）", "meals_per_day": 1, "settlement": "monthly"},
    )
    if created:
        MealTier.objects.bulk_create(
            MealTier(
                policy=policy, tier=tier, elder_pays=Decimal(pays), city_share=Decimal(3), district_share=Decimal(3)
            )
            for tier, pays in TIERS
        )
    return policy


@transaction.atomic
def _halls():
    operator = User.objects.filter(username="mealhall").first()
    halls = []
    for name, run_by, address, region, seats, hours, menu, operated in HALLS:
        hall, created = MealHall.objects.get_or_create(
            name=name,
            region_id=region,
            defaults={"operator": run_by, "address": address, "capacity": seats, "service_hours": hours},
        )
        if created:
            HallMenu.objects.bulk_create(
                HallMenu(hall=hall, meal_type=meal, price=Decimal(price)) for meal, price in menu.items()
            )
        if operated and operator is not None:
            hall.operators.add(operator)
        halls.append(hall)
    return halls


def _accounts():
    users = {u.username: u for u in User.objects.filter(username__in=["caseworker", "reviewer", "mealhall"])}
    return {name: users.get(name) for name in ("caseworker", "reviewer", "mealhall")}


def _older(region_code, count):
    """Living residents of the community aged 60 or over, the same ones on every run."""
    today = timezone.localdate()
    cutoff = today.replace(year=today.year - services.ELDER_AGE)
    return list(
        Resident.objects.filter(region_id=region_code, birth_date__lte=cutoff, died_on__isnull=True).order_by("pk")[
            :count
        ]
    )


def _enrolments(reviewer):
    """Elderly of 侨光 and 夏湾 (both in the reviewer's street) enrolled with a meal card."""
    count = 0
    for region in (QIAOGUANG, XIAWAN):
        for resident in _older(region, ENROLLED_PER_COMMUNITY):
            if not Enrolment.objects.filter(resident=resident).exists():
                try:
                    services.enrol(actor=reviewer, resident=resident, card_number=f"ZH{resident.pk:08d}")
                except ApplicationError:
                    continue
            count += 1
    return count


def _meals(halls, people):
    """Lunches on a few recent days and on two days of last month (so a period can be settled): the caseworker
    records them at 侨光, the operator at 夏湾."""
    qiaoguang, xiawan = halls[0], halls[1]
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    days = [last_month + timedelta(days=4), last_month + timedelta(days=11)]
    days += [d for d in (today - timedelta(days=2), today - timedelta(days=1)) if d not in days]
    plans = [(qiaoguang, QIAOGUANG, people["caseworker"]), (xiawan, XIAWAN, people["mealhall"])]
    for hall, region, actor in plans:
        if actor is None or Meal.objects.filter(hall=hall).exists():
            continue
        for resident in _older(region, ENROLLED_PER_COMMUNITY):
            for day in days:
                try:
                    services.meal_record(
                        actor=actor,
                        hall=hall,
                        meal_type="lunch",
                        served_at=timezone.make_aware(datetime.combine(day, time(11, 30))),
                        resident=resident,
                    )
                except ApplicationError:  # not eligible on that day (turned 60 since), say: no meal
                    continue
    return Meal.objects.filter(hall__in=halls).count()


def _elders(caseworker):
    """Special-hardship elderly of 侨光, visited by the caseworker; two of them are overdue."""
    today = timezone.localdate()
    residents = _older(QIAOGUANG, ENROLLED_PER_COMMUNITY + len(DEMO_ELDERS))[-len(DEMO_ELDERS) :]
    for resident, (categories, risk, days_ago) in zip(residents, DEMO_ELDERS, strict=False):
        if CaredElder.objects.filter(resident=resident).exists():
            continue
        try:
            elder = services.elder_register(
                actor=caseworker, resident=resident, categories=categories, risk=risk, visitor=caseworker
            )
        except ApplicationError:
            continue
        if days_ago is not None:
            services.visit_record(
                actor=caseworker,
                elder=elder,
                visited_on=today - timedelta(days=days_ago),
                findings=FINDINGS[resident.pk % len(FINDINGS)],
            )
    return CaredElder.objects.filter(region_id=QIAOGUANG, ended_on__isnull=True).count()

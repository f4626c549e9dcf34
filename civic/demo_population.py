"""Generated residents for the demo city, at benchmark scale (`seed_demo --households N`).

Set-based on purpose: the ORM (or the registry services) costs several queries and history rows per
person, far too slow for hundreds of thousands of residents. Here rows are built in Python, chunk by
chunk, and each chunk goes in with a few multi-row INSERTs in its own transaction. Households and
residents get their primary keys in Python (from the current maximum), so the head, household and
membership links are written directly without reading anything back; the sequences are reset
afterwards so the ORM carries on after them. No history (FieldChange) rows are written: nobody
entered this data.

ID numbers are unique by construction: every generated number is checked against the numbers already
in the database for the demo districts and those generated so far, and redrawn on a clash.
"""

import random
from datetime import timedelta

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from civic import demo, idnumbers
from civic.models import (
    DisabilityCategory,
    Household,
    HouseholdMembership,
    HukouType,
    Region,
    Relationship,
    Resident,
    WorkAbility,
)

CHUNK_SIZE = 5000  # households per transaction: large enough for fast INSERTs, small enough to stay light

# The commonest surnames in Guangdong, with approximate shares in percent.
SURNAMES = {
    "陈": 9.5, "李": 7.0, "黄": 6.0, "张": 5.0, "梁": 4.0, "林": 3.7, "刘": 3.6, "吴": 3.3, "罗": 3.0,
    "何": 2.9, "郑": 2.3, "王": 2.2, "周": 2.0, "钟": 2.0, "杨": 1.9, "谭": 1.8, "冯": 1.6, "邓": 1.6,
    "叶": 1.5, "蔡": 1.4, "苏": 1.2, "卢": 1.2, "许": 1.1, "曾": 1.1, "徐": 1.0, "朱": 1.0, "赵": 0.8,
    "麦": 0.7, "郭": 0.7, "孙": 0.5,
}  # fmt: skip
SURNAME_LIST, SURNAME_WEIGHTS = list(SURNAMES), list(SURNAMES.values())
GIVEN = {
    "M": "伟强军杰涛明勇磊斌志建国华文俊峰浩宇轩家豪嘉锦荣永辉德才海波健鹏飞新晨铭睿泽子恒达伟",
    "F": "丽芳敏静婷燕红霞梅玲秀英慧欣怡雅诗颖佳琪晓雪淑美凤萍洁倩娟琳思梓涵彤妍欣月",
}
MOBILE_PREFIXES = ("13", "15", "17", "18", "19")

# Roads of each urban community, for addresses like 侨光路23号3栋402房.
ROADS = {
    "440402001001": ["康宁路", "翠香路", "凤凰北路"],
    "440402001002": ["山场路", "梅华西路"],
    "440402001003": ["福溪路", "紫荆路"],
    "440402004001": ["海滨南路", "吉大路"],
    "440402004002": ["景山路", "石花西路"],
    "440402005001": ["侨光路", "迎宾南路"],
    "440402005002": ["粤海东路", "昌盛路"],
    "440402005003": ["夏湾路", "华平路"],
    "440403100001": ["新堂路", "西埔路"],
}
LANES = ["东一巷", "东二巷", "西一巷", "西三巷", "新村巷", "大街巷", "中心巷", "北坊巷", "南坊巷", "祠堂巷"]

DISABILITY_CATEGORIES = list(DisabilityCategory.values)
DISABILITY_WEIGHTS = [8, 12, 2, 40, 10, 18, 10]  # physical disabilities are the commonest
ILLNESSES = ["恶性肿瘤", "尿毒症", "白血病", "脑卒中后遗症", "慢性心力衰竭", "肝硬化", "重性精神疾病"]


def households_add(count, *, seed=None, chunk_size=CHUNK_SIZE):
    """Add `count` generated households to the demo communities; return (households, residents) added."""
    rng = random.Random(seed)
    codes = [code for code, _name, level, _parent, _rural in demo.REGIONS if level == "community"]
    communities = list(Region.objects.filter(code__in=codes))
    if len(communities) != len(codes):
        raise RuntimeError("Load the demo region tree first (seed_demo).")
    # Denser city communities get more households than the villages.
    weights = [1 if c.is_rural else 3 for c in communities]
    districts = {c.code[:6] for c in communities}
    existing = Resident.objects.filter(_any_prefix(districts)).values_list("id_number", flat=True)
    used = {number[:17] for number in existing.iterator(chunk_size=20000)}
    today = timezone.localdate()
    added = [0, 0]
    for start in range(0, count, chunk_size):
        size = min(chunk_size, count - start)
        chosen = rng.choices(communities, weights, k=size)
        with transaction.atomic():
            residents = _chunk_insert(rng, chosen, used, today)
        added[0] += size
        added[1] += residents
    return tuple(added)


def _any_prefix(prefixes):
    query = Q()
    for prefix in prefixes:
        query |= Q(id_number__startswith=prefix)
    return query


def _chunk_insert(rng, communities, used, today):
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # We number rows ourselves: keep other writers out until the sequences are moved past us.
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (Household, Resident))
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
        household_id = Household.objects.aggregate(m=Max("id"))["m"] or 0
        resident_id = Resident.objects.aggregate(m=Max("id"))["m"] or 0
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        households, residents, memberships = [], [], []
        for region in communities:
            household_id += 1
            head_id = resident_id + 1
            for member in _family(rng):
                resident_id += 1
                row = _resident(rng, member, region, used, today)
                residents.append((resident_id, *row, household_id, member[0], region.code, now, now))
                memberships.append((resident_id, household_id, member[0], now, None, ""))
            households.append((household_id, region.code, _address(rng, region), region.is_rural, head_id, now, now))

        _insert(
            cursor, Household, ["id", "region", "address", "is_rural", "head", "created_at", "updated_at"], households
        )
        _insert(cursor, Resident, [
            "id", "id_number", "name", "sex", "birth_date", "phone", "hukou_type", "disability_category",
            "disability_grade", "serious_illness", "illness_note", "work_ability", "household", "relationship",
            "region", "created_at", "updated_at",
        ], residents)  # fmt: skip
        # Nothing refers to memberships, so the database numbers them.
        _insert(
            cursor,
            HouseholdMembership,
            ["resident", "household", "relationship", "started_at", "ended_at", "end_reason"],
            memberships,
        )
        for sql in connection.ops.sequence_reset_sql(no_style(), [Household, Resident]):
            cursor.execute(sql)
    return len(residents)


def _insert(cursor, model, fields, rows):
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
    if connection.vendor == "postgresql":
        from psycopg2.extras import execute_values

        # One statement per 2,000 rows instead of one per row.
        execute_values(cursor.cursor, sql + "%s", rows, page_size=1000)
    else:
        # SQLite runs executemany in-process, which is fast enough without multi-row VALUES.
        cursor.executemany(sql + "(" + ", ".join(["%s"] * len(fields)) + ")", rows)


def _family(rng):
    """(relationship, sex, age, surname) of each member, head first."""
    other = {"M": "F", "F": "M"}
    surname = _surname(rng)
    shape = rng.random()
    if shape < 0.12:  # an older person living alone
        return [(Relationship.HEAD, rng.choice("MF"), rng.randint(60, 92), surname)]
    if shape < 0.20:  # a single adult
        return [(Relationship.HEAD, rng.choice("MF"), rng.randint(22, 59), surname)]
    head_sex = "M" if rng.random() < 0.75 else "F"
    spouse_surname = _surname(rng)
    # Children take the father's surname.
    father = surname if head_sex == "M" else spouse_surname

    def couple(age):
        return [
            (Relationship.HEAD, head_sex, age, surname),
            (Relationship.SPOUSE, other[head_sex], max(20, age + rng.randint(-5, 5)), spouse_surname),
        ]

    if shape < 0.42:  # a couple without children at home
        return couple(rng.randint(25, 80))
    if shape < 0.80:  # a couple with one to three children
        age = rng.randint(26, 55)
        children = rng.choices([1, 2, 3], [55, 37, 8])[0]
        return couple(age) + [
            (Relationship.CHILD, rng.choice("MF"), rng.randint(0, age - 22), father) for _ in range(children)
        ]
    if rng.random() < 0.5:  # three generations: the head's parents live with the family
        age = rng.randint(30, 55)
        members = couple(age) + [(Relationship.CHILD, rng.choice("MF"), rng.randint(0, age - 22), father)]
        parent_age = min(95, age + rng.randint(22, 35))
        # The head's father carries the head's surname; sometimes only one parent is still alive.
        parents = [("M", surname), ("F", _surname(rng))]
        if rng.random() < 0.4:
            parents = [rng.choice(parents)]
        return members + [(Relationship.PARENT, sex, parent_age + rng.randint(-3, 0), name) for sex, name in parents]
    # Three generations under an older head: a grown child, the child's spouse and grandchildren.
    age = rng.randint(58, 80)
    child_sex = "M" if rng.random() < 0.8 else "F"
    child_age = age - rng.randint(22, 32)
    in_law_surname = _surname(rng)
    grandchild_surname = father if child_sex == "M" else in_law_surname
    return (
        couple(age)
        + [
            (Relationship.CHILD, child_sex, child_age, father),
            (Relationship.CHILD_IN_LAW, other[child_sex], max(20, child_age + rng.randint(-4, 4)), in_law_surname),
        ]
        + [
            (Relationship.GRANDCHILD, rng.choice("MF"), rng.randint(0, child_age - 21), grandchild_surname)
            for _ in range(rng.choice([1, 1, 2]))
        ]
    )


def _surname(rng):
    return rng.choices(SURNAME_LIST, SURNAME_WEIGHTS)[0]


def _resident(rng, member, region, used, today):
    """The person's own columns, id_number to work_ability, in the order _chunk_insert lists them."""
    _relationship, sex, age, surname = member
    given = GIVEN[sex]
    name = surname + "".join(rng.choice(given) for _ in range(1 if rng.random() < 0.2 else 2))
    birth = today - timedelta(days=rng.randint(age * 365 + age // 4 + 1, (age + 1) * 365 + age // 4))
    id_number, birth = _id_number(rng, region.code[:6], birth, sex, used)
    # Everything below follows the age the ID number shows, not the one asked for (they can differ by a day).
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))

    phone = ""
    if age >= 18 and rng.random() < (0.95 if age < 75 else 0.6):
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**9):09d}"
    rural = region.is_rural
    if rng.random() < (0.05 if rural else 0.10):
        hukou = HukouType.NON_LOCAL
    else:
        hukou = HukouType.LOCAL_RURAL if rural else HukouType.LOCAL_URBAN

    category, grade = "", None
    if rng.random() < (0.08 if age >= 60 else 0.02):
        category = rng.choices(DISABILITY_CATEGORIES, DISABILITY_WEIGHTS)[0]
        grade = rng.choices([1, 2, 3, 4], [1, 2, 3, 4])[0]
    ill = rng.random() < (0.04 if age >= 50 else 0.01)
    note = rng.choice(ILLNESSES) if ill else ""
    work = _work_ability(rng, age, grade, ill)
    birth_value = connection.ops.adapt_datefield_value(birth)
    return id_number, name, sex, birth_value, phone, hukou, category, grade, ill, note, work


def _id_number(rng, area, birth, sex, used):
    """A valid number no one has, and the birth date it encodes: redraw the sequence on a clash, and move
    the birthday back a day if that day is (nearly) full."""
    while True:
        for _ in range(20):
            # The sequence's parity gives the sex: odd for men.
            sequence = rng.randrange(1 if sex == "M" else 0, 1000, 2)
            first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
            if first17 not in used:
                used.add(first17)
                return first17 + idnumbers.check_char(first17), birth
        birth -= timedelta(days=1)


def _work_ability(rng, age, grade, ill):
    if age < 16 or ill or grade in (1, 2):
        return WorkAbility.NONE
    if grade in (3, 4):
        return WorkAbility.PARTIAL
    if age < 60:
        return WorkAbility.FULL if rng.random() < 0.97 else WorkAbility.PARTIAL
    if age < 70:
        return rng.choices([WorkAbility.FULL, WorkAbility.PARTIAL, WorkAbility.NONE], [50, 35, 15])[0]
    return WorkAbility.NONE if rng.random() < 0.85 else WorkAbility.PARTIAL


def _address(rng, region):
    if region.is_rural:
        return f"{region.name}{rng.choice(LANES)}{rng.randint(1, 80)}号"
    road = rng.choice(ROADS.get(region.code) or [region.name.removesuffix("社区") + "路"])
    room = f"{rng.randint(1, 18)}{rng.randint(1, 6):02d}"
    return f"{road}{rng.randint(1, 200)}号{rng.randint(1, 12)}栋{room}房"

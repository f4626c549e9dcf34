"""The demo city: Zhuhai's region tree (abridged) and one account per role, loaded by seed_demo."""

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from .models import Region, User
from .roles import Role
from .services import staff_create

DEMO_PASSWORD = "Civic-demo-2026"

# (code, name, level, parent code, rural)
REGIONS = [
    ("440000000000", "广东省", "province", None, False),
    ("440400000000", "珠海市", "city", "440000000000", False),
    ("440402000000", "香洲区", "district", "440400000000", False),
    ("440402001000", "翠香街道", "street", "440402000000", False),
    ("440402001001", "康宁社区", "community", "440402001000", False),
    ("440402001002", "山场社区", "community", "440402001000", False),
    ("440402001003", "福溪社区", "community", "440402001000", False),
    ("440402004000", "吉大街道", "street", "440402000000", False),
    ("440402004001", "海滨社区", "community", "440402004000", False),
    ("440402004002", "景山社区", "community", "440402004000", False),
    ("440402005000", "拱北街道", "street", "440402000000", False),
    ("440402005001", "侨光社区", "community", "440402005000", False),
    ("440402005002", "拱北社区", "community", "440402005000", False),
    ("440402005003", "夏湾社区", "community", "440402005000", False),
    ("440403000000", "斗门区", "district", "440400000000", False),
    ("440403100000", "井岸镇", "street", "440403000000", True),
    ("440403100001", "新堂社区", "community", "440403100000", False),
    ("440403100201", "龙西村", "community", "440403100000", True),
    ("440403100202", "草朗村", "community", "440403100000", True),
    ("440403102000", "斗门镇", "street", "440403000000", True),
    ("440403102201", "南门村", "community", "440403102000", True),
    ("440403102202", "八甲村", "community", "440403102000", True),
    ("440403102203", "小濠冲村", "community", "440403102000", True),
]

# (username, full name, role, region code)
ACCOUNTS = [
    ("caseworker", "李晓梅", Role.CASEWORKER, "440402005001"),
    ("reviewer", "陈志强", Role.STREET_REVIEWER, "440402005000"),
    ("approver", "黄丽华", Role.DISTRICT_APPROVER, "440402000000"),
    ("manager", "张建国", Role.CITY_MANAGER, "440400000000"),
    # A second manager: standards and payment batches need a second person to publish or approve (four eyes).
    ("manager2", "王志远", Role.CITY_MANAGER, "440400000000"),
    ("auditor", "刘敏", Role.AUDITOR, "440400000000"),
    ("childdirector", "周小燕", Role.CHILD_DIRECTOR, "440402005002"),
    ("childsupervisor", "吴海波", Role.CHILD_SUPERVISOR, "440402005000"),
    ("childprotection", "孙立新", Role.CHILD_PROTECTION, "440402000000"),
    ("mealhall", "郑美玲", Role.MEAL_OPERATOR, "440402005003"),
    ("charity", "赵慧敏", Role.CHARITY_OFFICER, "440402000000"),
    ("secretary", "何淑仪", Role.COMMUNITY_SECRETARY, "440402005001"),
]


@transaction.atomic
def regions_load():
    for code, name, level, parent, rural in REGIONS:
        Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent_id": parent, "is_rural": rural}
        )
    return len(REGIONS)


def accounts_load():
    """Create the demo accounts that do not exist yet; existing ones (and their passwords) are left alone."""
    created = []
    for username, full_name, role, region in ACCOUNTS:
        if not User.objects.filter(username=username).exists():
            staff_create(username=username, password=DEMO_PASSWORD, role=role, region_code=region, full_name=full_name)
            created.append(username)
    return created


# Demo data of the domain apps: each app's `demo.py` registers a loader, so the core names no app.
_loaders = []


def register_loader(loader):
    _loaders.append(loader)
    return loader


def app_loaders():
    autodiscover_modules("demo")
    return list(_loaders)

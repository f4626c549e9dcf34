"""Demo child protection for the demo city (珠海市): a few children of the demo child director's community (周小燕,
拱北街道 › 拱北社区; a director works for the children of her own community) with their profiles, supervised by
the street's child supervisor (吴海波), and two mandatory reports there: one from a school, acted on and closed
with the outcome told to the school, and one from a health centre still "received" past its 72-hour deadline.
Safe to run again: what exists is left alone."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from civic import demo
from civic.errors import ApplicationError
from civic.models import Resident, User

from . import services
from .models import AllowanceStandard, ChildCategory, ChildProfile, MandatoryReport, ReportEvent

DEMO_CHILDREN = [  # (categories, school)
    ([ChildCategory.LEFT_BEHIND], "拱北昌盛小学"),
    ([ChildCategory.DIFFICULTY_POVERTY, ChildCategory.DIFFICULTY_GUARDIANSHIP], "拱北昌盛小学"),
    ([ChildCategory.DE_FACTO_UNSUPPORTED], "珠海市第九中学"),
]

SCHOOL = "拱北昌盛小学"
HEALTH_CENTRE = "拱北街道社区卫生服务中心"
SCHOOL_AGE = 6


@demo.register_loader
def childcare_load():
    # The city's children's allowance standard (Guangzhou's figures, DOMAIN.md: 2,570 in an institution, 2,200
    # scattered), so that allowance claims can be quoted and granted in the demo.
    AllowanceStandard.objects.get_or_create(
        region_id="440400000000",
        effective_from=date(2024, 1, 1),
        defaults={"institutional": Decimal("2570"), "scattered": Decimal("2200")},
    )
    users = {u.username: u for u in User.objects.filter(username__in=["childdirector", "childsupervisor"])}
    director, supervisor = users.get("childdirector"), users.get("childsupervisor")
    if director is None or supervisor is None or director.region_id is None:
        return "child protection: no demo child director or supervisor, nothing loaded"
    community = director.region_id
    children = _children(community)
    profiles = _profiles(children, director, supervisor)
    closed = _closed_report(community, director, supervisor, children[0] if children else None)
    overdue = _overdue_report(community, director)
    reports = MandatoryReport.objects.filter(region_id=community).count()
    late = sum(1 for r in (closed, overdue) if r is not None and r.state == "received")
    return (
        f"child protection: {profiles} child profiles in {director.region.name}, {reports} mandatory reports there "
        f"({late} overdue)"
    )


def _years_ago(today, years):
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _children(community):
    """Living minors of the community of school age (6 to 17), the same ones on every run."""
    today = timezone.localdate()
    return list(
        Resident.objects.filter(
            region_id=community,
            birth_date__gt=_years_ago(today, services.CHILD_AGE),
            birth_date__lte=_years_ago(today, SCHOOL_AGE),
            died_on__isnull=True,
        )
        .select_related("household__head")
        .order_by("pk")[: len(DEMO_CHILDREN)]
    )


def _profiles(children, director, supervisor):
    for child, (categories, school) in zip(children, DEMO_CHILDREN, strict=False):
        if ChildProfile.objects.filter(resident=child).exists():
            continue
        head = child.household.head if child.household_id else None
        carer = head if head is not None and head.pk != child.pk else None
        try:
            services.profile_register(
                actor=supervisor,
                resident=child,
                categories=categories,
                director=director,
                supervisor=supervisor,
                guardian=carer.name if carer else "",
                guardian_phone=carer.phone if carer else "",
                school=school,
            )
        except ApplicationError:
            continue
    return ChildProfile.objects.filter(director=director).count()


def _backdate(report, received_at, event_times, **fields):
    """Demo reports look as if received some days ago: the report's times and its history's are moved back."""
    hours = services.danger_hours() if report.immediate_danger else services.report_hours()
    MandatoryReport.objects.filter(pk=report.pk).update(
        received_at=received_at, act_by=received_at + timedelta(hours=hours), **fields
    )
    for event, at in zip(report.events.order_by("at", "pk"), event_times, strict=False):
        ReportEvent.objects.filter(pk=event.pk).update(at=at)


@transaction.atomic
def _closed_report(community, director, supervisor, child):
    """A school's report, acted on the next morning, referred to health and closed with the outcome."""
    existing = MandatoryReport.objects.filter(region_id=community, reporter_name=SCHOOL).first()
    if existing is not None:
        return existing
    report = services.report_receive(
        actor=director,
        region_code=community,
        reporter_kind="school",
        reporter_name=SCHOOL,
        reporter_contact="0756-8881234（德育处）",
        child_id_number=child.id_number if child else "",
        child_description="" if child else "四年级男生，约10岁，班主任反映其近两个月明显消瘦。",
        situation="malnutrition",
        account="班主任反映该生近两个月多次未吃早餐、午餐时向同学讨要食物，体重明显下降，衣着单薄，"
        "家长电话多次无人接听。",
    )
    steps = [
        ("assess", {"risk_level": "medium", "note": "入户核实：父亲在外务工，母亲患病，家中缺少照料。"}),
        ("plan", {"plan": "联系监护人；申请临时救助；转介社区卫生服务中心做营养评估；学校每日关注。"}),
        ("refer", {"referred_to": "health", "note": "已转介拱北街道社区卫生服务中心。"}),
        ("follow_up", {"note": "复访：孩子每日在校用餐，体重回升；家庭已获临时救助。"}),
        ("close", {"outcome": "已受理并核实，已采取救助和转介措施，孩子目前得到照料。感谢学校及时报告。"}),
    ]
    for step, data in steps:
        report = services.report_step(actor=supervisor, report=report, step=step, **data)
    received = timezone.now() - timedelta(days=25)
    # Assessed the next morning, then the plan, the referral, the follow-up visit and the closing.
    offsets = [timedelta(hours=18), timedelta(days=1), timedelta(days=2), timedelta(days=9), timedelta(days=12)]
    times = [received, *(received + offset for offset in offsets)]
    _backdate(report, received, times, acted_at=times[1], closed_at=times[-1])
    return MandatoryReport.objects.get(pk=report.pk)


@transaction.atomic
def _overdue_report(community, director):
    """A health centre's report about a child it could not identify, not acted on by its deadline."""
    existing = MandatoryReport.objects.filter(region_id=community, reporter_name=HEALTH_CENTRE).first()
    if existing is not None:
        return existing
    report = services.report_receive(
        actor=director,
        region_code=community,
        reporter_kind="hospital",
        reporter_name=HEALTH_CENTRE,
        reporter_contact="0756-8885678",
        child_description="男孩，约8岁，由邻居陪同就诊，自称住在昌盛路附近，未能提供姓名以外的信息。",
        situation="repeated_injuries",
        account="接诊时发现手臂和背部有多处新旧不一的淤伤，孩子对受伤原因说法前后不一。",
    )
    received = timezone.now() - timedelta(days=4)
    _backdate(report, received, [received])
    services.overdue_alert()
    return MandatoryReport.objects.get(pk=report.pk)

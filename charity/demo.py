"""Demo charity for the demo city (珠海市): the city's charity federation and the district's charity association
(5A and 4A), a social-work centre and a volunteers' federation; funds with donations; projects in 拱北街道 (student
aid, running with activities naming residents; condolence visits before the Spring Festival) and 斗门区 (emergency
relief, planned); the district association paired with 拱北 and 吉大 (one organisation, two streets) and a donor
paired with a family of 侨光社区; referrals of 侨光 families: one helped by a grant, one accepted, one awaiting an
answer. Loaded once: nothing is added when organisations exist already."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from civic import demo
from civic.models import Household, Region, User

from . import credit_codes, services
from .models import Organisation, ProjectStatus

QIAOGUANG = "440402005001"


def _code(region, seq, kind="5"):
    body = f"{kind}1{region}MJ{seq:07d}"[:17]
    return body + credit_codes.check_character(body)


# (name, type, region, grade, awarded days ago, contact, phone, seq)
ORGANISATIONS = [
    ("珠海市慈善总会", "foundation", "440400000000", "5A", 700, "何振华", "0756-2212345", 1),
    ("香洲区慈善会", "social_group", "440402000000", "4A", 400, "梁淑芬", "0756-2123456", 2),
    ("拱北社会工作服务中心", "private_non_enterprise", "440402005000", "3A", 900, "罗嘉欣", "0756-8881234", 3),
    ("斗门区义工联合会", "social_group", "440403000000", "", None, "冯伟强", "0756-5551234", 4),
]


@demo.register_loader
def charity_load():
    if Organisation.objects.exists():
        return f"charity: {Organisation.objects.count()} organisations already there"
    officer = User.objects.filter(username="charity").first()
    manager = User.objects.filter(username="manager").first()
    caseworker = User.objects.filter(username="caseworker").first()
    if not (officer and manager and caseworker):
        return "charity: skipped (demo accounts missing)"
    with transaction.atomic():
        figures = _load(officer, manager, caseworker)
    return "charity: " + ", ".join(f"{n} {what}" for what, n in figures.items())


def _load(officer, manager, caseworker):
    today = timezone.localdate()
    organisations = {}
    for name, kind, region, grade, days, contact, phone, seq in ORGANISATIONS:
        actor = manager if region[4:6] == "00" or region.startswith("440403") else officer
        organisations[name] = services.organisation_register(
            actor=actor,
            region_code=region,
            name=name,
            kind=kind,
            credit_code=_code(region[:6], seq),
            grade=grade,
            grade_valid_from=today - timedelta(days=days) if days else None,
            contact_name=contact,
            contact_phone=phone,
        )
    city, district, centre = (organisations[n] for n, *_ in ORGANISATIONS[:3])
    city_fund = services.fund_open(actor=manager, organisation=city, name="困难群众救助基金")
    district_fund = services.fund_open(actor=officer, organisation=district, name="香洲区助学助困基金")
    for fund, actor, donations in (
        (
            city_fund,
            manager,
            [("格力电器", "200000.00", 120), ("珠海港集团", "80000.00", 60), ("市民张女士", "5000.00", 20)],
        ),
        (district_fund, officer, [("香洲区商会", "50000.00", 90), ("拱北口岸商户联合会", "12000.00", 30)]),
    ):
        for donor, amount, days in donations:
            services.donation_record(
                actor=actor, fund=fund, donor=donor, amount=amount, on=today - timedelta(days=days)
            )

    student_aid = services.project_create(
        actor=officer,
        organisation=centre,
        name="拱北街道困境学生助学计划",
        category="student_aid",
        region_code="440402005000",
        budget="30000.00",
        starts_on=today - timedelta(days=75),
        description="为低保、低保边缘家庭在读学生提供助学金和课业辅导。",
    )
    services.project_move(actor=officer, project=student_aid, status=ProjectStatus.RUNNING)
    services.grant_make(actor=officer, fund=district_fund, project=student_aid, amount="15000.00", purpose="助学金")
    condolence = services.project_create(
        actor=officer,
        organisation=district,
        name="春节困难群众走访慰问",
        category="condolence",
        region_code="440402000000",
        budget="40000.00",
        starts_on=today - timedelta(days=50),
    )
    services.project_move(actor=officer, project=condolence, status=ProjectStatus.RUNNING)
    services.grant_make(actor=manager, fund=city_fund, project=condolence, amount="30000.00", purpose="慰问金")
    emergency = services.project_create(
        actor=manager,
        organisation=organisations["斗门区义工联合会"],
        name="台风季应急救灾物资储备",
        category="emergency_relief",
        region_code="440403000000",
        budget="60000.00",
        starts_on=today + timedelta(days=20),
    )

    families = list(Household.objects.filter(region_id=QIAOGUANG, head__isnull=False).order_by("pk")[:6])
    if families:
        pupils = [m for f in families[:3] for m in f.members.all()][:4]
        services.activity_record(
            actor=officer,
            project=student_aid,
            on=today - timedelta(days=40),
            place="拱北街道社工站",
            description="秋季学期助学金发放",
            beneficiaries=12,
            residents=pupils,
            spent="6000.00",
        )
        services.activity_record(
            actor=officer,
            project=condolence,
            on=today - timedelta(days=10),
            place="侨光社区党群服务中心",
            description="走访慰问困难家庭，发放米油和慰问金",
            beneficiaries=35,
            spent="10500.00",
        )

    streets = Region.objects.filter(code__in=["440402005000", "440402004000"]).order_by("code")
    pairings = [
        services.pairing_create(
            actor=officer,
            organisation=district,
            street=street,
            started_on=today - timedelta(days=200),
            ends_on=today + timedelta(days=530),
            commitment="每季度走访困难家庭，节日慰问",
        )
        for street in streets
    ]
    for pairing in pairings:
        services.pairing_activity_record(
            actor=officer,
            pairing=pairing,
            on=today - timedelta(days=25),
            description="中秋节走访慰问",
            beneficiaries=20,
            value="4000.00",
        )
    referrals = 0
    if len(families) >= 4:
        donor = services.pairing_create(
            actor=officer,
            donor_name="爱心人士王先生",
            household=families[3],
            started_on=today - timedelta(days=90),
            commitment="每月资助生活费 300 元",
        )
        services.pairing_activity_record(
            actor=officer, pairing=donor, on=today - timedelta(days=5), description="本月生活费资助", value="300.00"
        )
        helped = services.referral_create(
            actor=caseworker,
            household=families[0],
            reason="judgement",
            need="户主住院，自付医疗费用较高，低保金不足以覆盖",
            amount_sought="3000.00",
            channel="fund",
            fund=district_fund,
        )
        services.referral_accept(actor=officer, referral=helped, note="已入户核实")
        services.referral_help(actor=officer, referral=helped, description="一次性困难救助金", value="2000.00")
        accepted = services.referral_create(
            actor=caseworker,
            household=families[1],
            reason="judgement",
            need="孩子升学，学杂费有缺口",
            channel="project",
            project=student_aid,
        )
        services.referral_accept(actor=officer, referral=accepted, note="纳入下学期助学名单")
        services.referral_create(
            actor=caseworker,
            household=families[2],
            reason="judgement",
            need="独居老人需要上门陪伴和家务帮助",
            channel="pairing",
            pairing=pairings[-1] if pairings[-1].region_id == "440402005000" else pairings[0],
        )
        referrals = 3
    return {
        "organisations": len(organisations),
        "funds": 2,
        "projects": 3 if emergency else 2,
        "pairings": len(pairings) + (1 if len(families) >= 4 else 0),
        "referrals": referrals,
    }

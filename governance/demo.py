"""Demo community consultation (议事协商, "有事好商量") for the demo city (珠海市): the street council of 拱北街道,
the community councils of 侨光社区 and 夏湾社区, a neighbourhood (小区) and a building (楼栋) council in 侨光, each
with members of different kinds; topics of the usual kinds (an elevator in an old building, parking and property,
a neighbours' dispute, collective assets, public facilities) from residents, the residents' committee, members
and the 12345 hotline; three past meetings with their votes; resolutions implemented and published, one given up
with the reason, one being carried out, one overdue and reminded weekly; and micro-projects (民生微实事) for the
elevator (80,000 yuan, 60% done) and 夏湾's fitness equipment (completed).

The demo secretary (何淑仪, 侨光社区) records 侨光's councils, the demo street reviewer (陈志强, 拱北街道) the street's
and 夏湾's. Everything goes through governance.services, dated in the past where the services take a date (every
business date does); only the bookkeeping stamps (created_at, recorded_at, a history line's `at`) show the day the
demo was loaded, and the history is written in date order so they sort the same. Loaded once: nothing is added
when councils exist already."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from civic import demo
from civic.models import User

from . import services
from .models import Council, MicroProject, Resolution, Topic
from .services.resolutions import remind_every_days

GONGBEI = "440402005000"  # 香洲区 › 拱北街道
QIAOGUANG = "440402005001"  # 拱北街道 › 侨光社区, the demo secretary's community
XIAWAN = "440402005003"  # 拱北街道 › 夏湾社区


@dataclass
class Plan:
    """One council as the demo lays it out: who records it, where, and its members
    (name, represents, role, phone, days since joining; days since leaving or None)."""

    key: str
    recorder: str
    region: str
    level: str
    name: str
    place: str
    established: int
    members: list = field(default_factory=list)


COUNCILS = [
    Plan(
        "street",
        "reviewer",
        GONGBEI,
        "street",
        "拱北街道议事协商会",
        "拱北街道党群服务中心议事厅",
        1100,
        [
            ("罗国华", "party", "chair", "0756-8881001", 1100, None),
            ("陈志强", "party", "secretary", "0756-8881002", 1100, None),
            ("冯丽娟", "deputy", "member", "", 1000, None),
            ("梁伟民", "organisation", "member", "13702561003", 900, None),
            ("苏玉珍", "resident", "member", "13702561004", 900, None),
            ("邓建平", "property", "member", "", 800, None),
            ("吴海燕", "other", "member", "", 600, None),
        ],
    ),
    Plan(
        "qiaoguang",
        "secretary",
        QIAOGUANG,
        "community",
        "侨光社区议事会",
        "侨光社区党群服务中心",
        800,
        [
            ("陈伯荣", "resident", "chair", "13902562001", 800, None),
            ("何淑仪", "party", "secretary", "0756-8882002", 800, None),
            ("李秀英", "resident", "member", "13902562003", 800, None),
            ("王建明", "property", "member", "0756-8882004", 700, None),
            ("刘志坚", "owners", "member", "13902562005", 700, None),
            ("黄小玲", "deputy", "member", "", 600, None),
            ("张国强", "organisation", "member", "13902562007", 500, None),
            ("杨桂芳", "resident", "member", "", 400, None),
            ("周永康", "resident", "member", "", 800, 200),
        ],
    ),
    Plan(
        "xiawan",
        "reviewer",
        XIAWAN,
        "community",
        "夏湾社区议事会",
        "夏湾社区居委会二楼议事厅",
        700,
        [
            ("梁淑贞", "party", "chair", "0756-8883001", 700, None),
            ("叶振华", "party", "secretary", "0756-8883002", 700, None),
            ("彭美兰", "resident", "member", "13602563003", 650, None),
            ("吴伟", "property", "member", "", 600, None),
            ("谭志明", "owners", "member", "13602563005", 600, None),
            ("钟丽", "organisation", "member", "", 500, None),
        ],
    ),
    Plan(
        "garden",
        "secretary",
        QIAOGUANG,
        "neighbourhood",
        "侨光花园小区议事会",
        "侨光花园物业服务中心",
        500,
        [
            ("郭大伟", "owners", "chair", "13502564001", 500, None),
            ("许丽萍", "party", "secretary", "", 500, None),
            ("林晓燕", "resident", "member", "", 480, None),
            ("何经理", "property", "member", "0756-8884004", 480, None),
            ("蔡文", "resident", "member", "", 400, None),
        ],
    ),
    Plan(
        "building3",
        "secretary",
        QIAOGUANG,
        "building",
        "侨光新村3栋楼栋议事会",
        "侨光新村3栋架空层",
        300,
        [
            ("陈伯荣", "resident", "chair", "13902562001", 300, None),
            ("马建军", "party", "secretary", "", 300, None),
            ("郑桂兰", "resident", "member", "", 300, None),
            ("赵立新", "resident", "member", "13802565004", 300, None),
            ("孙慧", "owners", "member", "", 300, None),
        ],
    ),
]

HOTLINE = "12345政务服务便民热线"

# (key, council, title, description, source, category, proposer, days since received, hotline ticket or "",
#  what happens before any meeting: "accept", "decline: <reason>" or "" to leave it proposed)
TOPICS = [
    (
        "leak",
        "qiaoguang",
        "侨光路12号楼上漏水引发邻里纠纷",
        "502住户反映楼上602卫生间长期渗水，墙面发霉，双方多次协商未果，来电求助。",
        "hotline",
        "dispute",
        HOTLINE,
        160,
        "0315",
        "accept",
    ),
    (
        "hall",
        "qiaoguang",
        "社区集体用房出租收益如何使用",
        "侨光路8号首层社区集体用房闲置，居委会提议公开招租，租金用于社区长者服务。",
        "committee",
        "assets",
        "侨光社区居民委员会",
        155,
        "",
        "accept",
    ),
    (
        "corridor",
        "qiaoguang",
        "楼道杂物堆放与消防通道清理",
        "多栋楼道堆放旧家具、纸箱，电动车停放楼道，消防通道被占。",
        "member",
        "safety",
        "议事会成员 李秀英",
        158,
        "",
        "accept",
    ),
    (
        "toilet",
        "qiaoguang",
        "侨光市场旁公共厕所改造",
        "公厕设施老旧、异味大，无无障碍厕位，居民联名要求改造。",
        "resident",
        "facilities",
        "居民 杨桂芳等12人联名",
        150,
        "",
        "accept",
    ),
    (
        "ramp",
        "qiaoguang",
        "侨光路增设无障碍坡道",
        "社区服务中心门前台阶较高，轮椅无法通行。",
        "resident",
        "facilities",
        "残疾人家属 周女士",
        6,
        "",
        "",
    ),
    (
        "elevator",
        "building3",
        "侨光新村3栋加装电梯",
        "3栋为1993年建成的7层步梯楼，住户多为老年人，18户业主提出加装电梯。",
        "resident",
        "elevator",
        "3栋业主 陈伯荣等18户",
        100,
        "",
        "accept",
    ),
    (
        "parking",
        "garden",
        "侨光花园停车位不足与物业收费公示",
        "小区车位不足，夜间占用消防通道停车；业主要求物业公开停车费收支。",
        "resident",
        "property",
        "侨光花园业主 郭先生",
        30,
        "",
        "accept",
    ),
    (
        "charging",
        "garden",
        "小区电动车飞线充电",
        "部分住户从楼上拉线给电动车充电，存在火灾隐患，建议增设集中充电桩。",
        "member",
        "safety",
        "议事会成员 林晓燕",
        10,
        "",
        "",
    ),
    (
        "fitness",
        "xiawan",
        "夏湾公园健身器材老化更换",
        "公园健身器材锈蚀松动，有老人使用时受伤，来电要求更换。",
        "hotline",
        "facilities",
        HOTLINE,
        120,
        "0421",
        "accept",
    ),
    (
        "stalls",
        "xiawan",
        "夏湾市场周边占道经营",
        "早市摊贩占用人行道，行人被迫走机动车道。",
        "resident",
        "property",
        "夏湾居民 彭女士",
        115,
        "",
        "accept",
    ),
    (
        "bikes",
        "street",
        "拱北口岸周边共享单车乱停放",
        "口岸广场及周边人行道共享单车堆积，影响通行。",
        "hotline",
        "property",
        HOTLINE,
        12,
        "1102",
        "accept",
    ),
    (
        "dibao",
        "street",
        "要求调整本户低保金额",
        "来电人认为本户低保金额偏低，要求提高。",
        "hotline",
        "other",
        HOTLINE,
        20,
        "1027",
        "decline: 属于个人社会救助待遇事项，不在议事协商范围，已转侨光社区社会救助窗口办理并回复来电人。",
    ),
]

# (council, days ago, minutes, other participants,
#  [(topic, outcome, for, against, abstain, notes, resolution, owner, due in days after the meeting)])
MEETINGS = [
    (
        "qiaoguang",
        140,
        "本次议事会由陈伯荣主持，何淑仪记录。会议听取了提出方和相关方意见，对四项议题逐项协商表决。",
        15,
        [
            (
                "leak",
                "resolved",
                7,
                0,
                1,
                "双方当事人到场陈述，物业提供了管道图纸。",
                "由社区人民调解委员会牵头、物业协助查明漏水点；602住户负责维修防水层，并承担502墙面修复费用。",
                "社区人民调解委员会",
                30,
            ),
            (
                "hall",
                "resolved",
                6,
                1,
                1,
                "有成员提出先核实房屋产权。",
                "侨光路8号首层集体用房公开招租，租金收益专项用于社区长者服务，收支每季度公示。",
                "侨光社区居民委员会",
                90,
            ),
            (
                "corridor",
                "resolved",
                8,
                0,
                0,
                "",
                "开展为期两周的楼道清理行动，物业每周巡查，电动车一律停放至集中停车点。",
                "侨光物业服务中心",
                14,
            ),
            (
                "toilet",
                "resolved",
                6,
                2,
                0,
                "市场经营户担心施工影响生意，商定分段施工。",
                "申请街道城管办资金对公厕进行改造，增设无障碍厕位，分段施工不影响市场营业。",
                "侨光社区居民委员会、拱北街道城管办",
                120,
            ),
        ],
    ),
    (
        "building3",
        85,
        "3栋18户业主代表列席。会议通报了加装电梯设计方案、费用分摊办法和民生微实事资金补助政策。",
        18,
        [
            (
                "elevator",
                "resolved",
                5,
                0,
                0,
                "低层住户关心采光和噪音，设计单位作了说明。",
                "3栋加装电梯：按楼层分摊自筹费用，申请民生微实事资金补助8万元，由业主代表小组组织施工。",
                "3栋加装电梯业主代表小组、侨光社区居民委员会",
                175,
            ),
        ],
    ),
    (
        "xiawan",
        100,
        "会议邀请公园管理处和市场管理方列席，就两项议题进行协商。",
        9,
        [
            (
                "fitness",
                "resolved",
                5,
                0,
                1,
                "",
                "申请民生微实事资金更换夏湾公园全部老化健身器材，并设置使用须知。",
                "夏湾社区居民委员会",
                60,
            ),
            ("stalls", "deferred", 0, 0, 0, "需先听取市场监管所意见，下次会议再议。", "", "", 0),
        ],
    ),
]

# (resolution's topic, steps: ("progress", days ago, note, percent) | ("implemented"/"not_implemented", days ago,
#  outcome or reason) | ("published", days ago))
STEPS = [
    (
        "leak",
        [
            ("progress", 135, "物业已完成闭水试验，确认602卫生间防水层破损。", 50),
            ("implemented", 125, "602住户已重做防水层并赔偿502墙面修复费用2,800元，双方签订调解协议。"),
            ("published", 120),
        ],
    ),
    (
        "corridor",
        [
            ("implemented", 130, "清理楼道杂物3.2吨，设置电动车集中停车点2处，物业每周巡查记录在案。"),
            ("published", 128),
        ],
    ),
    (
        "hall",
        [
            ("progress", 110, "已向街道申请核实房屋产权。", 20),
            (
                "not_implemented",
                60,
                "经街道资产清查，该用房产权属区机关事务管理局，社区无权出租；已改为申请无偿使用作长者活动室。",
            ),
            ("published", 58),
        ],
    ),
    (
        "toilet",
        [
            ("progress", 100, "已完成选址复核和改造方案设计。", 30),
            ("progress", 45, "施工队进场，化粪池改造中；因雨季停工两周。", 55),
        ],
    ),
    (
        "elevator",
        [
            ("progress", 60, "已取得全部18户业主书面同意，方案公示期满无异议，规划报建已受理。", 30),
            ("progress", 20, "电梯井道和基坑施工完成，等待设备进场。", 60),
        ],
    ),
    (
        "fitness",
        [
            ("implemented", 55, "更换健身器材12件，增设使用须知牌2块。"),
            ("published", 50),
        ],
    ),
]


@demo.register_loader
def governance_load():
    if Council.objects.exists():
        return f"community councils: {Council.objects.count()} councils already there"
    users = {u.username: u for u in User.objects.filter(username__in=["secretary", "reviewer"])}
    if len(users) < 2:
        return "community councils: skipped (demo accounts missing)"
    with transaction.atomic():
        figures = _load(users)
    return "community councils: " + ", ".join(f"{n} {what}" for what, n in figures.items())


def _load(users):
    today = timezone.localdate()

    def ago(days):
        return today - timedelta(days=days)

    councils, members = {}, 0
    for plan in COUNCILS:
        actor = users[plan.recorder]
        council = services.council_create(
            actor=actor,
            region_code=plan.region,
            level=plan.level,
            name=plan.name,
            place=plan.place,
            established_on=ago(plan.established),
        )
        for name, kind, role, phone, joined, left in plan.members:
            member = services.member_add(
                actor=actor, council=council, name=name, kind=kind, role=role, phone=phone, joined_on=ago(joined)
            )
            if left is not None:
                services.member_leave(actor=actor, member=member, on=ago(left))
            members += 1
        councils[plan.key] = (council, actor)

    topics = {}
    for key, council_key, title, description, source, category, proposer, received, ticket, then in TOPICS:
        council, actor = councils[council_key]
        topic, _created = services.topic_create(
            actor=actor,
            council=council,
            title=title,
            description=description,
            source=source,
            category=category,
            proposer=proposer,
            received_on=ago(received),
            external_ref=f"12345-{ago(received):%Y%m%d}-{ticket}" if ticket else "",
        )
        if then == "accept":
            topic = services.topic_accept(actor=actor, topic=topic)
        elif then.startswith("decline: "):
            topic = services.topic_decline(actor=actor, topic=topic, reason=then.removeprefix("decline: "))
        topics[key] = topic

    for council_key, held, minutes, others, items in MEETINGS:
        council, actor = councils[council_key]
        held_on = ago(held)
        services.meeting_record(
            actor=actor,
            council=council,
            held_on=held_on,
            place=council.place,
            minutes=minutes,
            # The members sitting on the council that day.
            attendees=[m for m in council.members.all() if m.left_on is None or m.left_on >= held_on],
            other_participants=others,
            items=[
                services.Item(
                    topic=topics[topic],
                    outcome=outcome,
                    votes_for=votes_for,
                    votes_against=against,
                    votes_abstain=abstain,
                    notes=notes,
                    resolution_text=text,
                    owner=owner,
                    due_on=held_on + timedelta(days=due_in) if outcome == "resolved" else None,
                )
                for topic, outcome, votes_for, against, abstain, notes, text, owner, due_in in items
            ],
        )

    for topic_key, steps in STEPS:
        resolution = Resolution.objects.get(topic=topics[topic_key])
        actor = councils[_council_of(topic_key)][1]
        for step, days, *rest in steps:
            if step == "progress":
                note, percent = rest
                services.progress_add(actor=actor, resolution=resolution, note=note, percent=percent, on=ago(days))
            elif step == "implemented":
                services.resolution_implemented(actor=actor, resolution=resolution, outcome=rest[0], on=ago(days))
            elif step == "not_implemented":
                services.resolution_not_implemented(actor=actor, resolution=resolution, reason=rest[0], on=ago(days))
            else:
                services.resolution_publish(actor=actor, resolution=resolution, on=ago(days))

    # The weekly reminders the daily job sent while the toilet resolution was overdue, on the days it sent them
    # (overdue_remind takes the day as its argument; only demo resolutions exist at this point).
    toilet = Resolution.objects.get(topic=topics["toilet"])
    for day in range((today - toilet.due_on).days - 1, 0, -remind_every_days()):
        services.overdue_remind(ago(day))

    secretary, reviewer = users["secretary"], users["reviewer"]
    elevator = services.micro_project_create(
        actor=secretary, topic=topics["elevator"], name="侨光新村3栋加装电梯（民生微实事）", budget="80000.00"
    )
    services.micro_project_update(actor=secretary, project=elevator, status="underway", completion=60, spent="48000.00")
    fitness = services.micro_project_create(
        actor=reviewer, topic=topics["fitness"], name="夏湾公园健身器材更新（民生微实事）", budget="35000.00"
    )
    services.micro_project_update(actor=reviewer, project=fitness, status="underway", completion=40, spent="10000.00")
    services.micro_project_update(
        actor=reviewer, project=fitness, status="completed", spent="34200.00", completed_on=ago(56)
    )
    return {
        "councils": len(councils),
        "members": members,
        "topics": Topic.objects.count(),
        "meetings": len(MEETINGS),
        "resolutions": Resolution.objects.count(),
        "micro-projects": MicroProject.objects.count(),
    }


def _council_of(topic_key):
    return next(council for key, council, *_rest in TOPICS if key == topic_key)

"""Child-protection rules: a mandatory report's deadline (24 hours in immediate danger, else 72), the alert that
marks a report not acted on in time once, the order of a report's steps, need-to-know access to case files, and
what a child's profile requires."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from childcare import rules, services
from childcare.models import ChildProfile, MandatoryReport, ReportEvent
from civic import audit
from civic.errors import ApplicationError
from civic.models import Resident
from civic.roles import Role

QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区
GONGBEI = "440402005002"  # 拱北街道, another community of the same street
GONGBEI_STREET = "440402005000"  # 拱北街道
CUIXIANG_STREET = "440402001000"  # 香洲区 › 翠香街道
KANGNING = "440402001001"  # 翠香街道 › 康宁社区
XIANGZHOU = "440402000000"  # 香洲区
DOUMEN = "440403000000"  # 斗门区
CITY = "440400000000"


@pytest.fixture
def people(staff_factory):
    return {
        "director": staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="director"),
        "gongbei_director": staff_factory(Role.CHILD_DIRECTOR, GONGBEI, username="director-gongbei"),
        "supervisor": staff_factory(Role.CHILD_SUPERVISOR, GONGBEI_STREET, username="supervisor"),
        "other_supervisor": staff_factory(Role.CHILD_SUPERVISOR, CUIXIANG_STREET, username="supervisor-cuixiang"),
        "protection": staff_factory(Role.CHILD_PROTECTION, XIANGZHOU, username="protection"),
        "doumen_protection": staff_factory(Role.CHILD_PROTECTION, DOUMEN, username="protection-doumen"),
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="caseworker"),
        "manager": staff_factory(Role.CITY_MANAGER, CITY, username="manager"),
    }


def resident_aged(household_factory, years, region=QIAOGUANG):
    resident = household_factory(region, size=1).head
    today = timezone.localdate()
    Resident.objects.filter(pk=resident.pk).update(birth_date=date(today.year - years, 1, 1) - timedelta(days=1))
    return Resident.objects.get(pk=resident.pk)


@pytest.fixture
def child(household_factory):
    return resident_aged(household_factory, 9)


def receive(actor, **extra):
    values = {
        "actor": actor,
        "region_code": QIAOGUANG,
        "reporter_kind": "community",
        "reporter_name": "侨光社区居委会",
        "situation": "malnutrition",
        "account": "孩子长期独自在家，明显消瘦。",
        "child_description": "约七岁女孩，住侨光路",
        **extra,
    }
    return services.report_receive(**values)


def code_of(excinfo):
    return excinfo.value.code, excinfo.value.status


# -------------------------------------------------------------------------------------------- deadlines


def test_a_report_gets_a_reference_and_its_deadline(people, child, settings):
    before = timezone.now()
    danger = receive(people["caseworker"], immediate_danger=True, child_id_number=child.id_number)
    assert danger.act_by - danger.received_at == timedelta(hours=24)
    assert before <= danger.received_at <= timezone.now()
    assert danger.reference == f"QZ{danger.received_at:%Y}{danger.pk:07d}"
    assert (danger.state, danger.child, danger.assigned_to) == ("received", child, people["director"])
    assert danger.reporter_token is None

    ordinary = receive(people["caseworker"])
    assert ordinary.act_by - ordinary.received_at == timedelta(hours=72)
    assert ordinary.child is None and ordinary.immediate_danger is False
    event = ReportEvent.objects.get(report=ordinary)
    assert (event.old_state, event.new_state, event.actor_label) == (
        "",
        "received",
        audit.actor_parts(people["caseworker"])[1],
    )

    settings.CHILD_DANGER_HOURS, settings.CHILD_REPORT_HOURS = 12, 48
    sooner = receive(people["caseworker"], immediate_danger=True)
    assert sooner.act_by - sooner.received_at == timedelta(hours=12)
    later = receive(people["caseworker"])
    assert later.act_by - later.received_at == timedelta(hours=48)


def test_who_may_report_and_where(people, child):
    with pytest.raises(ApplicationError) as excinfo:
        receive(people["manager"])  # child.aggregates only
    assert code_of(excinfo) == ("forbidden", 403)
    with pytest.raises(ApplicationError) as excinfo:
        receive(people["caseworker"], region_code=KANGNING)  # outside the caseworker's community
    assert code_of(excinfo) == ("not_found", 404) and set(excinfo.value.fields) == {"region"}
    with pytest.raises(ApplicationError) as excinfo:
        receive(people["protection"], region_code=XIANGZHOU)  # a district, not a community
    assert code_of(excinfo) == ("not_found", 404)
    assert receive(people["protection"], region_code=KANGNING).assigned_to is None  # no director there yet
    assert MandatoryReport.objects.count() == 1


def test_a_report_names_its_child(people, household_factory):
    adult = resident_aged(household_factory, 30)
    for extra, named in (
        ({"child_description": ""}, {"child_description"}),
        (
            {"situation": "bullying", "reporter_kind": "neighbour", "account": " "},
            {"situation", "reporter_kind", "account"},
        ),
    ):
        with pytest.raises(ApplicationError) as excinfo:
            receive(people["caseworker"], **extra)
        assert code_of(excinfo) == ("invalid", 400) and set(excinfo.value.fields) == named
    assert not MandatoryReport.objects.exists()
    # A report is accepted whatever the reporter knows: a number that is not a registered minor of the area is kept
    # with the description, without saying who is registered where.
    for number in ("440402201601010000", adult.id_number):
        report = receive(people["caseworker"], child_id_number=number, child_description="约十岁男孩")
        assert report.child is None and number in report.child_description


# ------------------------------------------------------------------------------------------------ alerts


def test_the_alert_marks_a_report_not_acted_on_once(people):
    late = receive(people["caseworker"], immediate_danger=True)
    acted = receive(people["caseworker"], immediate_danger=True)
    not_due = receive(people["caseworker"], immediate_danger=True)
    services.report_step(actor=people["director"], report=acted, step="assess", risk_level="medium")
    now = timezone.now() + timedelta(hours=25)
    MandatoryReport.objects.filter(pk=not_due.pk).update(act_by=now + timedelta(hours=1))

    assert services.overdue_alert(now) == 1
    late.refresh_from_db()
    assert late.overdue_since == now and late.state == "received"
    lines = ReportEvent.objects.filter(report=late).exclude(
        actor_label__startswith=audit.actor_parts(people["caseworker"])[1]
    )
    assert [(e.new_state, e.actor_label) for e in lines] == [("received", audit.SYSTEM)]
    assert lines.get().note
    assert MandatoryReport.objects.get(pk=acted.pk).overdue_since is None
    assert MandatoryReport.objects.get(pk=not_due.pk).overdue_since is None

    # Run again, later: nothing new, and still one history line.
    assert services.overdue_alert(now + timedelta(hours=1)) == 0
    assert ReportEvent.objects.filter(report=late, actor_label=audit.SYSTEM).count() == 1
    assert MandatoryReport.objects.get(pk=late.pk).overdue_since == now
    assert services.overdue_alert(now + timedelta(hours=3)) == 1  # not_due is now overdue
    assert ReportEvent.objects.filter(actor_label=audit.SYSTEM).count() == 2


# ------------------------------------------------------------------------------------------------- steps


def test_the_steps_go_in_order(people):
    director, supervisor = people["director"], people["supervisor"]
    report = receive(people["caseworker"])

    def refused(step, state, **kw):
        with pytest.raises(ApplicationError) as excinfo:
            services.report_step(actor=supervisor, report=report, step=step, **kw)
        assert code_of(excinfo) == ("wrong_state", 409), step
        assert MandatoryReport.objects.get(pk=report.pk).state == state

    for step in ("plan", "intervene", "refer", "follow_up", "close"):
        refused(step, "received", plan="x", referred_to="police", outcome="x")
    with pytest.raises(ApplicationError) as excinfo:
        services.report_step(actor=director, report=report, step="assess", risk_level="extreme")
    assert code_of(excinfo) == ("invalid", 400) and set(excinfo.value.fields) == {"risk_level"}
    with pytest.raises(ApplicationError) as excinfo:
        services.report_step(actor=director, report=report, step="escalate")
    assert code_of(excinfo) == ("invalid", 400)
    assert MandatoryReport.objects.get(pk=report.pk).acted_at is None

    report = services.report_step(actor=director, report=report, step="assess", risk_level="high", note="已家访")
    assert (report.state, report.risk_level) == ("assessed", "high") and report.acted_at is not None
    first_acted = report.acted_at
    refused("assess", "assessed", risk_level="low")
    refused("follow_up", "assessed")
    with pytest.raises(ApplicationError) as excinfo:
        services.report_step(actor=supervisor, report=report, step="plan", plan="  ")
    assert set(excinfo.value.fields) == {"plan"}
    report = services.report_step(actor=supervisor, report=report, step="plan", plan="联系监护人，安排营养补助")
    refused("close", "planned", outcome="x")
    report = services.report_step(actor=supervisor, report=report, step="intervene", note="送餐到家")
    refused("refer", "intervention", referred_to="health")
    report = services.report_step(actor=supervisor, report=report, step="follow_up")
    with pytest.raises(ApplicationError) as excinfo:
        services.report_step(actor=supervisor, report=report, step="close", outcome=" ")
    assert set(excinfo.value.fields) == {"outcome"}
    report = services.report_step(actor=supervisor, report=report, step="close", outcome="监护人已落实照料")
    assert (report.state, report.outcome, report.acted_at) == ("closed", "监护人已落实照料", first_acted)
    assert report.closed_at is not None
    for step in ("assess", "plan", "follow_up", "close"):
        refused(step, "closed", risk_level="low", plan="x", outcome="x")

    history = [(e.old_state, e.new_state) for e in ReportEvent.objects.filter(report=report)]
    assert history == [
        ("", "received"),
        ("received", "assessed"),
        ("assessed", "planned"),
        ("planned", "intervention"),
        ("intervention", "follow_up"),
        ("follow_up", "closed"),
    ]
    assert ReportEvent.objects.get(report=report, new_state="assessed").note == "已家访"


def test_a_referral_names_where_the_case_went(people):
    supervisor = people["supervisor"]
    report = receive(people["caseworker"])
    report = services.report_step(actor=supervisor, report=report, step="assess", risk_level="medium")
    report = services.report_step(actor=supervisor, report=report, step="plan", plan="转介")
    with pytest.raises(ApplicationError) as excinfo:
        services.report_step(actor=supervisor, report=report, step="refer", referred_to="church")
    assert set(excinfo.value.fields) == {"referred_to"}
    report = services.report_step(actor=supervisor, report=report, step="refer", referred_to="temporary_guardianship")
    assert (report.state, report.referred_to) == ("referred", "temporary_guardianship")
    assert services.report_step(actor=supervisor, report=report, step="follow_up").state == "follow_up"


def test_only_those_who_may_open_the_case_file_act_on_it(people):
    report = receive(people["caseworker"])
    for outsider in (
        people["caseworker"],
        people["manager"],
        people["gongbei_director"],
        people["other_supervisor"],
        people["doumen_protection"],
    ):
        with pytest.raises(ApplicationError) as excinfo:
            services.report_step(actor=outsider, report=report, step="assess", risk_level="low")
        assert code_of(excinfo) == ("not_found", 404), outsider
    assert MandatoryReport.objects.get(pk=report.pk).state == "received"
    assert services.report_step(actor=people["protection"], report=report, step="assess", risk_level="low").state == (
        "assessed"
    )


# ------------------------------------------------------------------------------------------- need-to-know


@pytest.fixture
def profile(people, child):
    return services.profile_register(
        actor=people["director"],
        resident=child,
        categories=["left_behind", "difficulty_poverty"],
        director=people["director"],
        supervisor=people["supervisor"],
        guardian="李奶奶",
        school="侨光小学",
    )


def test_case_files_open_only_to_those_who_need_to_know(people, profile):
    report = receive(people["caseworker"], child_id_number=profile.resident.id_number)
    assert report.assigned_to == people["director"]
    for person in ("director", "supervisor", "protection"):
        assert rules.may_open_report(people[person], report), person
        assert rules.may_open_profile(people[person], profile), person
    for person in ("caseworker", "manager", "gongbei_director", "other_supervisor", "doumen_protection"):
        assert not rules.may_open_report(people[person], report), person
        assert not rules.may_open_profile(people[person], profile), person
    assert not rules.may_open_report(None, report)

    assert list(rules.reports_for(people["director"])) == [report]
    assert list(rules.profiles_for(people["supervisor"])) == [profile]
    assert not rules.reports_for(people["caseworker"]).exists()
    assert not rules.profiles_for(people["manager"]).exists()


# ----------------------------------------------------------------------------------------------- profiles


def test_a_profile_assigns_the_communitys_director_and_the_streets_supervisor(profile, people, child):
    assert (profile.region_id, profile.director, profile.supervisor) == (
        QIAOGUANG,
        people["director"],
        people["supervisor"],
    )
    assert profile.categories == ["left_behind", "difficulty_poverty"]
    assert (profile.guardian, profile.school) == ("李奶奶", "侨光小学")


def register(people, resident, **extra):
    values = {
        "actor": people["director"],
        "resident": resident,
        "categories": ["left_behind"],
        "director": people["director"],
        "supervisor": people["supervisor"],
        **extra,
    }
    return services.profile_register(**values)


def invalid_fields(people, resident, **extra):
    with pytest.raises(ApplicationError) as excinfo:
        register(people, resident, **extra)
    assert code_of(excinfo) == ("invalid", 400)
    return set(excinfo.value.fields)


def test_a_profile_refuses_the_wrong_director_and_supervisor_and_no_categories(people, child):
    assert invalid_fields(people, child, director=people["gongbei_director"]) == {"director"}
    assert invalid_fields(people, child, director=people["caseworker"]) == {"director"}
    assert invalid_fields(people, child, director=None) == {"director"}
    assert invalid_fields(people, child, supervisor=people["other_supervisor"]) == {"supervisor"}
    assert invalid_fields(people, child, supervisor=people["director"]) == {"supervisor"}
    assert invalid_fields(people, child, categories=[]) == {"categories"}
    assert invalid_fields(people, child, categories=["left_behind", "famous"]) == {"categories"}
    assert not ChildProfile.objects.exists()

    # Repeated categories are kept once.
    assert register(people, child, categories=["left_behind", "left_behind"]).categories == ["left_behind"]
    assert invalid_fields(people, child) == {"resident"}  # a profile already


def test_adults_are_refused_unless_still_in_school(people, household_factory):
    adult = resident_aged(household_factory, 19)
    assert invalid_fields(people, adult) == {"resident"}
    assert register(people, adult, school="珠海市第一中学").school == "珠海市第一中学"
    seventeen = resident_aged(household_factory, 17)
    assert register(people, seventeen).school == ""


def test_who_may_register_a_child(people, child, household_factory):
    for outsider in (people["caseworker"], people["manager"]):
        with pytest.raises(ApplicationError) as excinfo:
            register(people, child, actor=outsider)
        assert code_of(excinfo) == ("forbidden", 403)
    with pytest.raises(ApplicationError) as excinfo:
        register(people, child, actor=people["doumen_protection"])
    assert code_of(excinfo) == ("not_found", 404)
    assert register(people, child, actor=people["protection"]).director == people["director"]

"""The child-protection pages: intake of a mandatory report by staff with its reference for the reporter, the
reports a user may open with their deadlines and the overdue list, the case file with its history and the form
of each step, need-to-know 404s that are logged like every opening, the figures without names, the child profile
register, caseload and case file, the navigation by capability and the demo data."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from childcare import selectors, services
from childcare.models import CaseView, ChildProfile, MandatoryReport, ReportEvent
from civic.models import Resident
from civic.roles import Role

QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区
GONGBEI = "440402005002"  # 拱北街道 › 拱北社区
GONGBEI_STREET = "440402005000"
CUIXIANG_STREET = "440402001000"  # 香洲区 › 翠香街道
XIANGZHOU = "440402000000"
CITY = "440400000000"


@pytest.fixture
def people(staff_factory):
    return {
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
        "director": staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="cd"),
        "gongbei_director": staff_factory(Role.CHILD_DIRECTOR, GONGBEI, username="cd-gongbei"),
        "supervisor": staff_factory(Role.CHILD_SUPERVISOR, GONGBEI_STREET, username="cs"),
        "other_supervisor": staff_factory(Role.CHILD_SUPERVISOR, CUIXIANG_STREET, username="cs-cuixiang"),
        "protection": staff_factory(Role.CHILD_PROTECTION, XIANGZHOU, username="cp"),
        "reviewer": staff_factory(Role.STREET_REVIEWER, GONGBEI_STREET, username="street"),
        "manager": staff_factory(Role.CITY_MANAGER, CITY, username="manager"),
        "operator": staff_factory(Role.MEAL_OPERATOR, QIAOGUANG, username="op"),
    }


@pytest.fixture
def signed_in(client):
    """A signed-in browser in English (the source language), so messages can be matched."""

    def login(user):
        client.logout()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    yield login
    translation.activate(settings.LANGUAGE_CODE)


def text(response):
    return response.content.decode()


def resident_aged(household_factory, years, region=QIAOGUANG, name=None):
    resident = household_factory(region, size=1, names=[name] if name else None).head
    today = timezone.localdate()
    Resident.objects.filter(pk=resident.pk).update(birth_date=date(today.year - years, 1, 1) - timedelta(days=1))
    return Resident.objects.get(pk=resident.pk)


def receive(actor, **extra):
    values = {
        "actor": actor,
        "region_code": QIAOGUANG,
        "reporter_kind": "school",
        "reporter_name": "侨光小学",
        "reporter_contact": "0756-8880000",
        "situation": "malnutrition",
        "account": "孩子长期独自在家，明显消瘦。",
        "child_description": "约9岁女孩",
        **extra,
    }
    return services.report_receive(**values)


def make_late(report, hours=5):
    """The report's deadline passed `hours` ago."""
    MandatoryReport.objects.filter(pk=report.pk).update(act_by=timezone.now() - timedelta(hours=hours))


INTAKE = {
    "region": QIAOGUANG,
    "reporter_kind": "school",
    "reporter_name": "侨光小学德育处",
    "reporter_contact": "0756-8881234",
    "child_id_number": "",
    "child_description": "四年级女生，约10岁",
    "situation": "repeated_injuries",
    "account": "手臂多处淤伤，说法前后不一。",
}


# --- who may see what ----------------------------------------------------------------------------------------------


def test_each_page_renders_for_its_roles_and_is_refused_without_the_capability(signed_in, people):
    followers = {"director", "supervisor", "protection"}
    pages = {
        reverse("childcare:report-list"): followers,
        reverse("childcare:report-overdue"): followers,
        reverse("childcare:report-new"): {"caseworker", "director", "supervisor", "protection", "reviewer"},
        reverse("childcare:profile-list"): followers,
        reverse("childcare:profile-register"): followers,
        reverse("childcare:aggregates"): {"supervisor", "protection", "manager"},
    }
    for url, allowed in pages.items():
        for who in ("caseworker", "director", "supervisor", "protection", "reviewer", "manager", "operator"):
            response = signed_in(people[who]).get(url)
            assert response.status_code == (200 if who in allowed else 403), (url, who, response.status_code)


def test_navigation_by_capability(signed_in, people):
    home = reverse("home")
    menu = text(signed_in(people["caseworker"]).get(home))
    assert "Report harm to a child" in menu and "Child-protection reports" not in menu and "Children" not in menu
    menu = text(signed_in(people["director"]).get(home))
    assert "Report harm to a child" in menu and "Child-protection reports" in menu and "Children" in menu
    assert "Child-protection figures" not in menu
    menu = text(signed_in(people["manager"]).get(home))
    assert "Child-protection figures" in menu and "Report harm to a child" not in menu
    assert "Child-protection reports" not in menu


# --- intake --------------------------------------------------------------------------------------------------------


def test_intake_by_staff_gives_a_reference_for_the_reporter(signed_in, people, household_factory):
    child = resident_aged(household_factory, 9, name="林小雨")
    client = signed_in(people["caseworker"])
    page = text(client.get(reverse("childcare:report-new")))
    assert f'<option value="{QIAOGUANG}" selected>' in page  # the caseworker's one community
    response = client.post(
        reverse("childcare:report-new"),
        {**INTAKE, "child_id_number": child.id_number.lower(), "child_description": "", "immediate_danger": "on"},
    )
    report = MandatoryReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("childcare:report-received", args=[report.pk])
    page = text(client.get(response["Location"]))
    assert "Give this reference to the reporter" in page
    assert f'data-testid="reference">{report.reference}<' in page and report.reference.startswith("QZ")
    assert "林小雨" not in page  # no case content on the receipt
    assert report.child == child and report.immediate_danger
    assert report.assigned_to == people["director"]  # the community's child director
    assert report.act_by - report.received_at == timedelta(hours=24)
    assert report.reporter_name == "侨光小学德育处" and report.region_id == QIAOGUANG
    # The caseworker may not open the case file they received: need-to-know.
    assert 'data-testid="open-case"' not in page
    assert client.get(reverse("childcare:report-detail", args=[report.pk])).status_code == 404
    # The receipt is for whoever received the report in this session only.
    assert signed_in(people["reviewer"]).get(response["Location"]).status_code == 404

    # The street's supervisor receives for any community of the street and may open what they received.
    client = signed_in(people["supervisor"])
    response = client.post(reverse("childcare:report-new"), {**INTAKE, "region": GONGBEI})
    report = MandatoryReport.objects.get(region_id=GONGBEI)
    page = text(client.get(response["Location"]))
    assert 'data-testid="open-case"' in page and report.reference in page
    assert report.assigned_to == people["gongbei_director"]


def test_intake_errors_stay_next_to_the_fields_with_the_input_kept(signed_in, people, household_factory):
    client = signed_in(people["caseworker"])
    url = reverse("childcare:report-new")
    response = client.post(url, {**INTAKE, "child_description": "", "situation": ""})
    assert response.status_code == 400
    page = text(response)
    assert "Give the child&#x27;s ID number or describe the child." in page
    assert 'value="侨光小学德育处"' in page and "手臂多处淤伤，说法前后不一。" in page
    assert '<option value="school" selected>' in page

    response = client.post(url, {**INTAKE, "region": GONGBEI})  # not the caseworker's community
    assert response.status_code == 400
    assert "Select a valid choice." in text(response).split('name="region"')[1].split("</div>")[0]
    assert not MandatoryReport.objects.exists()

    # An ID number that names no minor of the area is not an error: the report is accepted, the number kept.
    adult = resident_aged(household_factory, 30)
    response = client.post(url, {**INTAKE, "child_id_number": adult.id_number, "child_description": ""})
    assert response.status_code == 302
    report = MandatoryReport.objects.get()
    assert report.child is None and adult.id_number in report.child_description


# --- the case file and its steps -----------------------------------------------------------------------------------


def step(client, report, **data):
    return client.post(reverse("childcare:report-step", args=[report.pk]), data)


def test_the_supervisor_assesses_plans_refers_follows_up_and_closes_through_the_pages(signed_in, people):
    report = receive(people["caseworker"])
    client = signed_in(people["supervisor"])
    url = reverse("childcare:report-detail", args=[report.pk])
    page = text(client.get(url))
    assert "Assess the report" in page and 'name="risk_level"' in page
    assert "孩子长期独自在家，明显消瘦。" in page and "约9岁女孩" in page

    assert step(client, report, step="assess", risk_level="high", note="入户核实").status_code == 302
    page = text(client.get(url))
    assert "Recorded: the report is now “Assessed”." in page and "Make a plan" in page
    assert step(client, report, step="plan", plan="联系公安并安排临时照料").status_code == 302
    response = step(client, report, step="act", action="refer", referred_to="police", note="已报警，派出所受理")
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.risk_level, report.referred_to) == ("referred", "high", "police")
    assert report.plan == "联系公安并安排临时照料" and report.acted_at is not None
    assert step(client, report, step="follow_up", note="孩子已由祖母照料").status_code == 302
    assert step(client, report, step="close", outcome="已核实并转介公安，孩子得到照料。").status_code == 302
    report.refresh_from_db()
    assert report.state == "closed" and report.outcome == "已核实并转介公安，孩子得到照料。"
    page = text(client.get(url))
    assert 'data-testid="step-form"' not in page and 'data-testid="closed"' in page
    history = page.split('data-testid="events"')[1]
    for note in ("入户核实", "已报警，派出所受理", "孩子已由祖母照料"):
        assert note in history
    assert "Referred → Follow-up" in history
    assert list(report.events.values_list("new_state", flat=True)) == [
        "received",
        "assessed",
        "planned",
        "referred",
        "follow_up",
        "closed",
    ]
    # A stale form (a step already taken) is refused in words, nothing changes.
    response = step(client, report, step="assess", risk_level="low", note="再次评估")
    assert response.status_code == 409 and "that step is not possible now" in text(response)
    assert ReportEvent.objects.filter(report=report).count() == 6


def test_step_errors_stay_next_to_the_fields_with_the_input_kept(signed_in, people):
    report = receive(people["caseworker"])
    client = signed_in(people["director"])  # assigned to the community's director
    response = step(client, report, step="assess", risk_level="", note="已电话联系监护人")
    assert response.status_code == 400
    page = text(response)
    form = page.split('data-testid="step-form"')[1]
    assert "This field is required." in form and "已电话联系监护人" in form
    report.refresh_from_db()
    assert report.state == "received" and report.acted_at is None

    services.report_step(actor=people["director"], report=report, step="assess", risk_level="medium")
    services.report_step(actor=people["director"], report=report, step="plan", plan="计划")
    response = step(client, report, step="act", action="refer", referred_to="", note="准备转介")
    assert response.status_code == 400
    form = text(response).split('data-testid="step-form"')[1]
    assert "Choose where the case is referred." in form and "准备转介" in form
    assert "checked" in form.split('value="refer"')[1].split(">")[0]

    response = step(client, report, step="act", action="intervene", note="社工入户")
    assert response.status_code == 302
    services.report_step(actor=people["director"], report=report, step="follow_up", note="复访")
    response = step(client, report, step="close", outcome="", note="结案说明")
    assert response.status_code == 400
    form = text(response).split('data-testid="step-form"')[1]
    assert "Outcome told to the reporter" in form and "结案说明" in form
    report.refresh_from_db()
    assert report.state == "follow_up"


def test_need_to_know_refusals_are_404_and_logged_like_every_opening(signed_in, people):
    report = receive(people["caseworker"])
    url = reverse("childcare:report-detail", args=[report.pk])
    # Unrelated staff: the caseworker of the same community, the city manager (figures only), a meal operator,
    # the supervisor of another street, the director of another community.
    for who in ("caseworker", "manager", "operator", "other_supervisor", "gongbei_director"):
        client = signed_in(people[who])
        assert client.get(url).status_code == 404, who
        assert step(client, report, step="assess", risk_level="low", note="x").status_code == 404, who
        refused = CaseView.objects.filter(report=report, viewer=people[who], allowed=False)
        assert refused.count() == 2, who
        assert all(view.channel == "page" for view in refused)
    report.refresh_from_db()
    assert report.state == "received"
    assert not CaseView.objects.filter(report=report, allowed=True).exists()
    # A report that does not exist answers the same.
    missing = reverse("childcare:report-detail", args=[report.pk + 99])
    assert signed_in(people["manager"]).get(missing).status_code == 404

    for who in ("director", "supervisor", "protection"):
        page = text(signed_in(people[who]).get(url))
        assert report.reference in page, who
        shown = CaseView.objects.get(report=report, viewer=people[who])
        assert shown.allowed and shown.viewer_label.endswith(f"({people[who].username})")


# --- lists ---------------------------------------------------------------------------------------------------------


def test_the_report_list_and_the_overdue_list(signed_in, people):
    late = receive(people["caseworker"], reporter_name="侨光医院")
    make_late(late)
    fresh = receive(people["caseworker"])
    acted = receive(people["caseworker"])
    make_late(acted)
    services.report_step(actor=people["director"], report=acted, step="assess", risk_level="low")
    elsewhere = receive(people["supervisor"], region_code=GONGBEI)

    client = signed_in(people["director"])
    page = text(client.get(reverse("childcare:report-list")))
    for report in (late, fresh, acted):
        assert report.reference in page
    assert elsewhere.reference not in page  # assigned to the other community's director
    assert "Reports overdue (1)" in page
    row = page.split(f'data-testid="report-{late.pk}"')[1].split("</tr>")[0]
    assert 'data-testid="late"' in row and "overdue" in row
    assert 'data-testid="late"' not in page.split(f'data-testid="report-{acted.pk}"')[1].split("</tr>")[0]

    page = text(client.get(reverse("childcare:report-list"), {"overdue": "on"}))
    assert late.reference in page and fresh.reference not in page and acted.reference not in page
    page = text(client.get(reverse("childcare:report-list"), {"state": "assessed"}))
    assert acted.reference in page and late.reference not in page

    page = text(client.get(reverse("childcare:report-overdue")))
    assert late.reference in page and fresh.reference not in page and acted.reference not in page
    page = text(signed_in(people["supervisor"]).get(reverse("childcare:report-overdue")))
    assert late.reference in page and elsewhere.reference not in page
    page = text(signed_in(people["other_supervisor"]).get(reverse("childcare:report-overdue")))
    assert 'data-testid="none-overdue"' in page and late.reference not in page
    # The lists show no case content.
    assert "孩子长期独自在家" not in page


def test_the_figures_show_counts_without_names(signed_in, people, household_factory):
    child = resident_aged(household_factory, 8, name="王小明")
    danger = receive(people["caseworker"], child_id_number=child.id_number, immediate_danger=True)
    make_late(danger)
    closed = receive(people["caseworker"])
    for name, data in (
        ("assess", {"risk_level": "low"}),
        ("plan", {"plan": "计划"}),
        ("intervene", {}),
        ("follow_up", {}),
        ("close", {"outcome": "已处理"}),
    ):
        closed = services.report_step(actor=people["supervisor"], report=closed, step=name, **data)
    receive(people["other_supervisor"], region_code="440402001001")  # 翠香街道 › 康宁社区

    response = signed_in(people["manager"]).get(reverse("childcare:aggregates"))
    page = text(response)
    assert 'data-testid="total">3<' in page and 'data-testid="open">2<' in page
    assert 'data-testid="overdue">1<' in page and 'data-testid="open-in-danger">1<' in page
    assert 'data-testid="state-received"><td>Received</td><td class="num">2<' in page
    assert 'data-testid="state-closed"><td>Closed</td><td class="num">1<' in page
    for secret in ("王小明", "侨光小学", danger.reference, closed.reference, "孩子长期独自在家", "已处理"):
        assert secret not in page
    assert not CaseView.objects.exists()  # figures open no case file

    page = text(signed_in(people["supervisor"]).get(reverse("childcare:aggregates")))
    assert 'data-testid="total">2<' in page  # the supervisor's street only
    page = text(signed_in(people["other_supervisor"]).get(reverse("childcare:aggregates")))
    assert 'data-testid="total">1<' in page and 'data-testid="open-in-danger">0<' in page


# --- child profiles ------------------------------------------------------------------------------------------------


def register(client, **data):
    return client.post(reverse("childcare:profile-register"), data)


def test_the_profile_register_flow(signed_in, people, household_factory):
    child = resident_aged(household_factory, 11, name="陈小乐")
    client = signed_in(people["supervisor"])
    page = text(client.get(reverse("childcare:profile-register")))
    assert f'<option value="{people["supervisor"].pk}" selected>' in page  # the supervisor themself
    assert 'value="left_behind"' in page and 'type="checkbox"' in page
    response = register(
        client,
        id_number=child.id_number,
        categories=["left_behind", "difficulty_poverty"],
        guardian="陈奶奶",
        guardian_phone="13800001111",
        school="侨光小学",
        director=people["director"].pk,
        supervisor=people["supervisor"].pk,
    )
    profile = ChildProfile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("childcare:profile-detail", args=[profile.pk])
    assert profile.categories == ["left_behind", "difficulty_poverty"] and profile.director == people["director"]
    page = text(client.get(response["Location"]))
    assert "陈小乐 has a child profile" in page and "陈奶奶" in page and "Left-behind" in page
    assert child.id_number not in page  # masked
    assert CaseView.objects.filter(profile=profile, viewer=people["supervisor"], allowed=True).count() == 1

    # A report about the child shows on the profile; the report links back to the profile.
    report = receive(people["caseworker"], child_id_number=child.id_number, child_description="")
    page = text(client.get(response["Location"]))
    assert report.reference in page.split('data-testid="child-reports"')[1]
    page = text(client.get(reverse("childcare:report-detail", args=[report.pk])))
    assert reverse("childcare:profile-detail", args=[profile.pk]) in page

    # The caseload lists the child for the director, the supervisor and the district, not for others.
    for who in ("director", "supervisor", "protection"):
        assert "陈小乐" in text(signed_in(people[who]).get(reverse("childcare:profile-list"))), who
    for who in ("gongbei_director", "other_supervisor"):
        assert "陈小乐" not in text(signed_in(people[who]).get(reverse("childcare:profile-list"))), who


def test_profile_register_errors_keep_the_input(signed_in, people, household_factory):
    client = signed_in(people["supervisor"])
    adult = resident_aged(household_factory, 30)
    child = resident_aged(household_factory, 7)
    elsewhere = resident_aged(household_factory, 7, region="440402001001")  # 翠香街道, outside the street
    base = {
        "categories": ["left_behind"],
        "guardian": "监护人甲",
        "school": "",
        "director": people["director"].pk,
        "supervisor": people["supervisor"].pk,
    }
    response = register(client, id_number=adult.id_number, **base)
    assert response.status_code == 400
    page = text(response)
    assert "A profile is for a child under 18" in page and 'value="监护人甲"' in page

    response = register(client, id_number=elsewhere.id_number, **base)
    assert response.status_code == 400 and "Nobody with this ID number lives in your area." in text(response)

    response = register(client, id_number=child.id_number, **{**base, "director": people["gongbei_director"].pk})
    assert response.status_code == 400
    page = text(response)
    assert "Choose the child director of the child&#x27;s community." in page
    assert f'value="{child.id_number}"' in page
    assert "checked" in page.split('value="left_behind"')[1].split(">")[0]

    response = register(client, id_number=child.id_number, **{**base, "categories": []})
    assert response.status_code == 400
    assert not ChildProfile.objects.exists()


def test_profile_case_file_is_404_and_logged_for_those_without_need_to_know(signed_in, people, household_factory):
    child = resident_aged(household_factory, 10, name="黄小妹")
    profile = services.profile_register(
        actor=people["supervisor"],
        resident=child,
        categories=["orphan_scattered"],
        director=people["director"],
        supervisor=people["supervisor"],
    )
    url = reverse("childcare:profile-detail", args=[profile.pk])
    for who in ("caseworker", "manager", "gongbei_director", "other_supervisor", "operator"):
        assert signed_in(people[who]).get(url).status_code == 404, who
        assert CaseView.objects.filter(profile=profile, viewer=people[who], allowed=False).count() == 1, who
    for who in ("director", "supervisor", "protection"):
        page = text(signed_in(people[who]).get(url))
        assert "黄小妹" in page, who
        assert CaseView.objects.filter(profile=profile, viewer=people[who], allowed=True).count() == 1, who
    missing = reverse("childcare:profile-detail", args=[profile.pk + 99])
    assert signed_in(people["director"]).get(missing).status_code == 404


# --- demo data -----------------------------------------------------------------------------------------------------


def test_the_demo_loader_is_idempotent(db):
    from io import StringIO

    from django.core.management import call_command

    from civic import demo, demo_population
    from civic.models import User

    demo.regions_load()
    demo.accounts_load()
    demo_population.households_add(60, seed=7)
    call_command("seed_demo", stdout=StringIO())
    counts = (ChildProfile.objects.count(), MandatoryReport.objects.count(), ReportEvent.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (ChildProfile.objects.count(), MandatoryReport.objects.count(), ReportEvent.objects.count()) == counts

    director = User.objects.get(username="childdirector")
    supervisor = User.objects.get(username="childsupervisor")
    assert ChildProfile.objects.filter(director=director, supervisor=supervisor).exists()
    assert all(p.region_id == director.region_id for p in ChildProfile.objects.all())
    assert MandatoryReport.objects.count() == 2
    closed = MandatoryReport.objects.get(state="closed")
    assert closed.outcome and closed.assigned_to == director
    assert list(selectors.overdue_reports(director)) == [MandatoryReport.objects.get(state="received")]

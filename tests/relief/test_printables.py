"""Printable notices: the decision, the refusal, the certificate and a community's public-notice sheet. Each shows
the facts of the case, stays inside the reader's area (404 outside it or in the wrong state), masks names and ID
numbers where the public sees them, and loads nothing from outside the portal."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape

from civic.idnumbers import mask
from civic.models import Resident
from civic.privacy import mask_name
from civic.roles import Role
from relief.models import Entitlement, EntitlementStatus, ReliefPolicy, Status
from relief.services import applications as flow

QIAOGUANG = "440402005001"  # 侨光社区, 拱北街道, 香洲区
GONGBEI = "440402005002"  # 拱北社区, same street
CHECKLIST = ("id_proof", "commitment", "declaration")


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张明", "张*"),
        ("王建华", "王*华"),
        ("欧阳娜娜", "欧**娜"),
        ("", ""),
        (None, ""),
        ("张", "张"),
        (" 李芳 ", "李*"),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


# ------------------------------------------------------------------------------------------------ fixtures


@pytest.fixture
def staff(staff_factory):
    return {
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
        "colleague": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw2"),
        "neighbour": staff_factory(Role.CASEWORKER, GONGBEI, username="cw-gongbei"),
        "reviewer": staff_factory(Role.STREET_REVIEWER, "440402005000", username="street"),
        "approver": staff_factory(Role.DISTRICT_APPROVER, "440402", username="district"),
        "other_street": staff_factory(Role.STREET_REVIEWER, "440402001000", username="street2"),
        "child_director": staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="director"),
    }


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def family(household_factory, region, names):
    """Two earners and a child of ten (the worked example's family)."""
    household = household_factory(region, size=len(names), names=names)
    child = household.members.filter(relationship="child").first()
    if child is not None:
        Resident.objects.filter(pk=child.pk).update(birth_date=timezone.localdate() - timedelta(days=365 * 10 + 5))
    return household


def filed(staff, household, **options):
    head = household.head
    spouse = household.members.get(relationship="spouse")
    return flow.application_file(
        actor=staff["caseworker"],
        household=household,
        programme="dibao",
        incomes=[(head, "wages", Decimal("1400")), (spouse, "wages", Decimal("700"))],
        documents=[(kind, pdf(f"{kind}.pdf")) for kind in CHECKLIST],
        **options,
    )


def investigated(staff, application, first="caseworker", second="colleague"):
    flow.investigation_start(actor=staff["reviewer"], application=application)
    flow.home_visit_record(
        actor=staff[first],
        application=application,
        visited_on=timezone.localdate(),
        second_investigator=staff[second],
        findings="住房简陋，无车辆",
    )
    flow.cross_check_record(actor=staff["reviewer"], application=application, source="市核对中心", passed=True)
    return application


def under_notice(staff, application, **investigators):
    investigated(staff, application, **investigators)
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合条件")
    assert application.status == Status.NOTICE
    return application


def notice_passes(application):
    type(application).objects.filter(pk=application.pk).update(notice_until=timezone.localdate() - timedelta(days=1))
    application.refresh_from_db()


@pytest.fixture
def cases(staff, household_factory, policy):
    approved = under_notice(staff, filed(staff, family(household_factory, QIAOGUANG, ["李国庆", "周慧", "李小宝"])))
    notice_passes(approved)
    flow.decide(actor=staff["approver"], application=approved, approve=True)

    refused = investigated(
        staff, filed(staff, family(household_factory, QIAOGUANG, ["钱多多", "吴敏"]), public_notice=False)
    )
    flow.opinion_give(actor=staff["reviewer"], application=refused, opinion="refuse", reasons="收入超标")
    flow.decide(
        actor=staff["approver"],
        application=refused,
        approve=False,
        reasons="家庭人均收入高于当地低保标准。\n有机动车一辆。",
    )

    notice_a = under_notice(staff, filed(staff, family(household_factory, QIAOGUANG, ["王建华", "李芳", "王小明"])))
    notice_b = under_notice(staff, filed(staff, family(household_factory, QIAOGUANG, ["欧阳娜娜", "陈刚"])))
    investigating = investigated(staff, filed(staff, family(household_factory, QIAOGUANG, ["赵大勇", "钱丽"])))
    elsewhere = under_notice(
        staff,
        filed(staff, family(household_factory, GONGBEI, ["孙国强", "郑红"])),
        first="neighbour",
        second="reviewer",
    )
    return {
        "approved": approved,
        "refused": refused,
        "notice_a": notice_a,
        "notice_b": notice_b,
        "investigating": investigating,
        "elsewhere": elsewhere,
    }


def page(client, user, url, language=None):
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def decision_url(application):
    return reverse("relief:print-decision", args=[application.pk])


def certificate_url(application):
    return reverse("relief:print-certificate", args=[application.pk])


def sheet_url(code=QIAOGUANG):
    return reverse("relief:print-notice-sheet", args=[code])


def long_date(day):
    with translation.override(settings.LANGUAGE_CODE):
        return formats.date_format(day, "DATE_FORMAT")


# ---------------------------------------------------------------------------------------------------- pages


def test_the_urls(cases):
    pk = cases["approved"].pk
    assert decision_url(cases["approved"]) == f"/relief/applications/{pk}/print/decision/"
    assert certificate_url(cases["approved"]) == f"/relief/applications/{pk}/print/certificate/"
    assert sheet_url() == f"/relief/notices/{QIAOGUANG}/print/"


def test_the_approval_decision_shows_the_amount_and_how_it_was_reached(client, staff, cases):
    application = cases["approved"]
    entitlement = Entitlement.objects.get(application=application)
    html = page(client, staff["caseworker"], decision_url(application))
    assert 'data-testid="decision"' in html and 'data-testid="refusal"' not in html
    assert application.number in html and "香洲区" in html
    assert "李国庆" in html and escape(application.household.address) in html
    assert "周慧" in html and "李小宝" in html  # the members covered
    assert application.amount == Decimal("1640.00") and "1640.00" in html
    assert application.explanation
    for line in application.explanation:
        assert escape(line["text"]) in html
        if line["amount"] is not None:
            assert f"{Decimal(line['amount']):.2f}" in html
    assert long_date(entitlement.starts_on) in html and long_date(entitlement.review_due) in html
    assert long_date(timezone.localtime(application.decided_at).date()) in html
    assert 'class="seal-box"' in html and 'data-testid="rights"' in html
    for member in application.household.members.all():
        assert member.id_number not in html


def test_the_decision_tells_the_family_their_rights(client, staff, cases):
    for application in (cases["approved"], cases["refused"]):
        html = page(client, staff["caseworker"], decision_url(application), language="en")
        assert "administrative reconsideration" in html and "administrative lawsuit" in html


def test_the_refusal_notice_gives_the_written_reasons(client, staff, cases):
    application = cases["refused"]
    html = page(client, staff["caseworker"], decision_url(application))
    assert 'data-testid="refusal"' in html and 'data-testid="decision"' not in html
    assert "家庭人均收入高于当地低保标准。" in html and "有机动车一辆。" in html
    assert application.number in html and "钱多多" in html
    assert 'data-testid="rights"' in html and 'class="seal-box"' in html
    assert 'data-testid="amount"' not in html


def test_the_certificate_masks_the_id_number(client, staff, cases):
    application = cases["approved"]
    entitlement = Entitlement.objects.get(application=application)
    head = application.household.head
    html = page(client, staff["caseworker"], certificate_url(application))
    assert application.number in html and head.name in html
    assert mask(head.id_number) in html and head.id_number not in html
    assert "1640.00" in html
    assert long_date(entitlement.starts_on) in html and long_date(entitlement.review_due) in html
    for member in application.household.members.all():
        assert member.id_number not in html


def test_the_notice_sheet_lists_only_this_communitys_applications_under_notice(client, staff, cases):
    html = page(client, staff["caseworker"], sheet_url())
    rows = html.split('data-testid="notice-rows"')[1].split("</table>")[0]
    assert rows.count("<tr>") == 3  # the header and the two under notice
    assert "王*华" in rows and "欧**娜" in rows
    for application in (cases["notice_a"], cases["notice_b"]):
        quote = flow.application_quote(application)
        assert str(quote.amount) in rows
        assert long_date(application.notice_from) in rows and long_date(application.notice_until) in rows
    for absent in ("李*庆", "钱*多", "赵*勇", "孙*强"):  # approved, refused, investigating, another community
        assert absent not in html
    assert "侨光社区" in html and "拱北街道" in html and 'data-testid="objections"' in html


def test_the_notice_sheet_shows_no_full_name_and_no_id_number(client, staff, cases):
    html = page(client, staff["reviewer"], sheet_url())
    for key in ("notice_a", "notice_b"):
        for member in cases[key].household.members.all():
            assert member.name not in html, member.name
            assert member.id_number not in html and mask(member.id_number) not in html


def test_the_notice_sheet_shows_a_dash_without_a_policy_in_force(client, staff, cases):
    ReliefPolicy.objects.all().delete()
    html = page(client, staff["caseworker"], sheet_url())
    rows = html.split('data-testid="notice-rows"')[1].split("</table>")[0]
    assert rows.count("—") >= 2 and "王*华" in rows


def test_an_empty_notice_sheet_says_so(client, staff, cases):
    html = page(client, staff["reviewer"], sheet_url("440402005003"))
    assert 'data-testid="notice-empty"' in html and 'data-testid="notice-rows"' not in html


def test_the_pages_are_for_print_and_load_nothing_from_outside(client, staff, cases):
    urls = [
        decision_url(cases["approved"]),
        decision_url(cases["refused"]),
        certificate_url(cases["approved"]),
        sheet_url(),
    ]
    for url in urls:
        html = page(client, staff["caseworker"], url)
        assert "http://" not in html and "https://" not in html, url
        assert not re.search(r'(?:href|src|action)\s*=\s*["\']//', html), url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url  # no inline scripts
        assert 'class="print-hint no-print"' in html, url
        assert "relief/print_notice.css" in html, url


# -------------------------------------------------------------------------------------------------- scoping


def all_urls(cases):
    return [
        decision_url(cases["approved"]),
        decision_url(cases["refused"]),
        certificate_url(cases["approved"]),
        sheet_url(),
    ]


def test_a_caseworker_of_another_community_gets_404_for_every_page(client, staff, cases):
    for who in ("neighbour", "other_street"):
        client.force_login(staff[who])
        for url in all_urls(cases):
            assert client.get(url).status_code == 404, (who, url)


def test_the_street_reviewer_and_the_district_see_every_page(client, staff, cases):
    for who in ("reviewer", "approver", "caseworker"):
        for url in all_urls(cases):
            page(client, staff[who], url)
    # The neighbouring community's sheet is the street's, not the caseworker's.
    page(client, staff["reviewer"], sheet_url(GONGBEI))
    client.force_login(staff["caseworker"])
    assert client.get(sheet_url(GONGBEI)).status_code == 404


def test_without_the_relief_capability_the_pages_are_forbidden(client, staff, cases):
    client.force_login(staff["child_director"])
    for url in all_urls(cases):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client, cases):
    for url in all_urls(cases):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url


def test_a_wrong_status_is_404(client, staff, cases):
    client.force_login(staff["reviewer"])
    for key in ("notice_a", "investigating"):
        assert client.get(decision_url(cases[key])).status_code == 404, key
        assert client.get(certificate_url(cases[key])).status_code == 404, key
    assert client.get(certificate_url(cases["refused"])).status_code == 404
    Entitlement.objects.filter(application=cases["approved"]).update(status=EntitlementStatus.ENDED)
    assert client.get(certificate_url(cases["approved"])).status_code == 404
    assert client.get(decision_url(cases["approved"])).status_code == 200  # the decision still stands


def test_the_notice_sheet_needs_a_community_code_in_scope(client, staff, cases):
    client.force_login(staff["reviewer"])
    for code in ("440402005000", "440402001001", "999999999999", "not-a-code"):
        assert client.get(sheet_url(code)).status_code == 404, code


def test_the_recipients_list_publishes_masked_names_sizes_and_amounts(
    client, staff_factory, household_factory, regions
):
    from datetime import timedelta
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from civic.roles import Role
    from relief.models import Application, ReliefPolicy
    from relief.services import applications as flow

    ReliefPolicy.objects.create(
        state="published",
        region_id="440400000000",
        area="urban",
        effective_from=date(2020, 1, 1),
        name="t",
        dibao_standard=Decimal("1100"),
    )
    caseworker = staff_factory(Role.CASEWORKER, "440402005001", username="rc1")
    colleague = staff_factory(Role.CASEWORKER, "440402005001", username="rc2")
    reviewer = staff_factory(Role.STREET_REVIEWER, "440402005000", username="rs")
    approver = staff_factory(Role.DISTRICT_APPROVER, "440402", username="rd")
    household = household_factory("440402005001", size=2, names=["欧阳明华", "李红"])
    pdf = lambda: SimpleUploadedFile("a.pdf", b"%PDF-1.4")  # noqa: E731
    application = flow.application_file(
        actor=caseworker,
        household=household,
        programme="dibao",
        documents=[(k, pdf()) for k in ("id_proof", "commitment", "declaration")],
    )
    flow.investigation_start(actor=reviewer, application=application)
    flow.home_visit_record(
        actor=caseworker,
        application=application,
        visited_on=timezone.localdate(),
        second_investigator=colleague,
        findings="x",
    )
    flow.cross_check_record(actor=reviewer, application=application, source="核对", passed=True)
    flow.opinion_give(actor=reviewer, application=application, opinion="approve", reasons="符合")
    Application.objects.filter(pk=application.pk).update(notice_until=timezone.localdate() - timedelta(days=1))
    application.refresh_from_db()
    flow.decide(actor=approver, application=application, approve=True)

    client.force_login(caseworker)
    page = client.get("/relief/recipients/440402005001/print/").content.decode()
    assert "欧**华" in page and "欧阳明华" not in page and "2200.00" in page
    assert "监督举报" in page and "公示期" not in page  # a standing list: report at any time, no notice period
    assert household.head.id_number not in page
    client.force_login(staff_factory(Role.CASEWORKER, "440402005002", username="rc3"))
    assert client.get("/relief/recipients/440402005001/print/").status_code == 404

"""Importing social organisations from XLSX or CSV: the preview names every bad row and column and saves nothing;
confirming registers all rows (or only the valid ones) through the service in one transaction."""

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from charity import importing, services
from charity.models import Organisation
from civic.registry_io import limits
from tests.charity.conftest import credit_code

IMPORT_URL = reverse("charity:organisation-import")
CONFIRM_URL = reverse("charity:organisation-import-confirm")
TEMPLATE_URL = reverse("charity:organisation-template")
LIST_URL = reverse("charity:organisation-list")

ZH_HEADERS = [
    "名称",
    "类型",
    "统一社会信用代码",
    "等级",
    "等级有效期起",
    "等级有效期止",
    "区划代码",
    "联系人",
    "联系电话",
]
EN_HEADERS = [
    "Name", "Type", "Unified social credit code", "Grade", "Grade valid from", "Grade valid until", "Region code",
    "Contact", "Contact phone",
]  # fmt: skip


def wrong_check(code):
    return code[:17] + ("0" if code[17] != "0" else "1")


def row(name, kind, code, region="440402", *, grade="", valid_from=None, valid_until=None, contact="", phone=""):
    return [name, kind, code, grade, valid_from, valid_until, region, contact, phone]


def xlsx_upload(rows, headers=ZH_HEADERS, name="organisations.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=importing.XLSX_TYPE)


def csv_upload(rows, headers=ZH_HEADERS, name="organisations.csv", encoding="utf-8-sig"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows([["" if v is None else v for v in values] for values in rows])
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), content_type="text/csv")


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def officer(client, charity_officer):
    client.force_login(charity_officer)
    return charity_officer


def preview(client, upload):
    return client.post(IMPORT_URL, {"file": upload})


def confirm(client, response, action="import_all"):
    return client.post(CONFIRM_URL, {"action": action, "digest": response.context["pending"].digest})


def issues_by_row(response):
    result = {}
    for issue in response.context["preview"].issues:
        result.setdefault(issue.row, {})[issue.column] = issue.message
    return result


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def stored_files(user):
    folder = f"imports/{user.pk}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def codes():
    return set(Organisation.objects.values_list("credit_code", flat=True))


def mixed_file(taken):
    """Rows 2–8: row 2 is fine, every other row has one thing wrong."""
    return [
        row("拱北社工服务中心", "社会服务机构", credit_code(11)),  # row 2: fine
        row("校验码错误协会", "社会团体", wrong_check(credit_code(12))),  # row 3: wrong check character
        row("类型错误协会", "协会", credit_code(13)),  # row 4: no such type
        row("重复代码甲", "基金会", credit_code(14)),  # rows 5 and 6: the same code twice in the file
        row("重复代码乙", "基金会", credit_code(14)),
        row("斗门区义工联", "社会团体", credit_code(15), region="440403"),  # row 7: 斗门区, not the officer's
        row("已登记协会", "社会团体", taken),  # row 8: registered already
    ]


# --------------------------------------------------------------------------------------------------- importing


def test_a_valid_xlsx_imports_every_row(client, officer, english):
    rows = [
        row(
            "香洲区青年志愿者协会",
            "社会团体",
            credit_code(21),
            "440402",
            grade="5A",
            valid_from=datetime(2024, 3, 1),
            contact="陈志明",
            phone="0756-2123456",
        ),  # fmt: skip
        row(
            "拱北慈善基金会",
            "基金会",
            credit_code(22),
            "440402005",
            grade="3A",
            valid_from=date(2023, 1, 1),
            valid_until=date(2026, 12, 31),
        ),  # fmt: skip
        row("侨光社区服务中心", "社会服务机构", credit_code(23), "440402005001"),
    ]
    response = preview(client, xlsx_upload(rows))
    assert response.status_code == 200
    checked = response.context["preview"]
    assert checked.clean, checked.issues
    assert (checked.row_count, checked.valid_row_count) == (3, 3)
    page = response.content.decode()
    assert 'data-testid="import-all"' in page and "disabled" not in page.split('data-testid="import-all"')[1][:20]
    assert Organisation.objects.count() == 0 and len(stored_files(officer)) == 1

    response = confirm(client, response)
    assert response.status_code == 302 and response["Location"] == LIST_URL
    assert said(response) == ["3 organisations registered."]
    youth = Organisation.objects.get(credit_code=credit_code(21))
    assert (youth.name, youth.kind, youth.region_id, youth.grade) == (
        "香洲区青年志愿者协会",
        "social_group",
        "440402000000",
        "5A",
    )
    assert (youth.grade_valid_from, youth.grade_valid_until) == (date(2024, 3, 1), date(2029, 2, 28))
    assert (youth.contact_name, youth.contact_phone) == ("陈志明", "0756-2123456")
    fund = Organisation.objects.get(credit_code=credit_code(22))
    assert (fund.kind, fund.region_id, fund.grade_valid_until) == ("foundation", "440402005000", date(2026, 12, 31))
    centre = Organisation.objects.get(credit_code=credit_code(23))
    assert (centre.kind, centre.region_id, centre.grade) == ("private_non_enterprise", "440402005001", "")
    assert stored_files(officer) == [] and importing.SESSION_KEY not in client.session


def test_the_preview_names_each_bad_row_and_column_and_saves_nothing(client, officer, organisation, english):
    response = preview(client, xlsx_upload(mixed_file(organisation.credit_code)))
    assert response.status_code == 200
    issues = issues_by_row(response)
    assert sorted(issues) == [3, 4, 5, 6, 7, 8]
    assert list(issues[3]) == ["credit_code"] and "check character is wrong" in issues[3]["credit_code"]
    assert list(issues[4]) == ["kind"] and "“协会” is not one of" in issues[4]["kind"]
    assert "also on row 6" in issues[5]["credit_code"] and "also on row 5" in issues[6]["credit_code"]
    assert list(issues[7]) == ["region_code"] and "斗门区 (440403) is outside your area" in issues[7]["region_code"]
    assert "registered already" in issues[8]["credit_code"]

    checked = response.context["preview"]
    assert (checked.row_count, checked.valid_row_count, checked.bad_rows) == (7, 1, [3, 4, 5, 6, 7, 8])
    assert [r.row for r in checked.valid_rows] == [2]
    page = response.content.decode()
    assert 'data-row="3" data-column="credit_code"' in page and 'data-row="7" data-column="region_code"' in page
    assert "Unified social credit code" in page and "Region code" in page  # the column named on the error
    assert 'data-testid="import-all" disabled' in page
    assert "Import only the valid rows" in page and 'data-testid="cancel"' in page
    assert codes() == {organisation.credit_code}

    refused = confirm(client, response, "import_all")
    assert refused.status_code == 409
    assert "Nothing was imported" in refused.content.decode()
    assert codes() == {organisation.credit_code}
    assert len(stored_files(officer)) == 1  # kept: the user may now import only the valid rows


def test_only_the_valid_rows_are_imported_when_asked(client, officer, organisation, english):
    checked = preview(client, xlsx_upload(mixed_file(organisation.credit_code)))
    response = confirm(client, checked, "import_valid")
    assert response.status_code == 302 and response["Location"] == LIST_URL
    assert codes() == {organisation.credit_code, credit_code(11)}
    assert Organisation.objects.get(credit_code=credit_code(11)).kind == "private_non_enterprise"
    messages = said(response)
    assert messages[0] == "1 organisation registered."
    assert "6 rows were skipped because of errors: rows 3, 4, 5, 6, 7, 8." in messages[1]
    assert stored_files(officer) == []


@pytest.mark.parametrize(
    ("headers", "kinds"),
    [
        (ZH_HEADERS, ["社会团体", "基金会", "社会服务机构"]),
        (EN_HEADERS, ["Social group", "Foundation", "Social service institution"]),
        (EN_HEADERS, ["social_group", "foundation", "private_non_enterprise"]),
    ],
    ids=["chinese", "english", "codes"],
)
def test_chinese_and_english_headers_and_type_words(client, officer, headers, kinds):
    rows = [row(f"组织{i}", kind, credit_code(30 + i)) for i, kind in enumerate(kinds)]
    response = preview(client, xlsx_upload(rows, headers=headers))
    assert response.context["preview"].clean, response.context["preview"].issues
    assert confirm(client, response).status_code == 302
    registered = dict(Organisation.objects.values_list("credit_code", "kind"))
    assert registered == {
        credit_code(30): "social_group",
        credit_code(31): "foundation",
        credit_code(32): "private_non_enterprise",
    }


def test_a_gbk_csv_from_chinese_excel_imports(client, officer):
    rows = [
        row("香洲区慈善总会", "社会团体", credit_code(41), "440402", grade="4A", valid_from="2024/3/1"),
        row("吉大长者服务中心", "民办非企业单位", credit_code(42), "440402004", contact="黄小燕"),
    ]
    response = preview(client, csv_upload(rows, encoding="gbk"))
    assert response.status_code == 200
    assert response.context["preview"].clean, response.context["preview"].issues
    assert confirm(client, response).status_code == 302
    first = Organisation.objects.get(credit_code=credit_code(41))
    assert (first.name, first.grade, first.grade_valid_from) == ("香洲区慈善总会", "4A", date(2024, 3, 1))
    second = Organisation.objects.get(credit_code=credit_code(42))
    assert (second.kind, second.region_id, second.contact_name) == ("private_non_enterprise", "440402004000", "黄小燕")


def test_the_service_rules_of_grades_dates_and_regions_are_checked_per_cell(client, officer, english):
    rows = [
        row("无评估日期", "社会团体", credit_code(51), grade="4A"),  # row 2
        row("有效期倒置", "社会团体", credit_code(52), grade="3A", valid_from="2024-05-01", valid_until="2024-01-01"),
        row("等级错误", "社会团体", credit_code(53), grade="6A", valid_from="2024-05-01"),  # row 4
        row("日期错误", "社会团体", credit_code(54), grade="2A", valid_from="去年"),  # row 5
        row("区划错误", "社会团体", credit_code(55), region="4404"),  # row 6
        row("区划不存在", "社会团体", credit_code(56), region="440402099"),  # row 7
        row("", "", "", region=""),  # row 8: only a contact
    ]
    rows[-1][7] = "某人"
    issues = issues_by_row(preview(client, xlsx_upload(rows)))
    assert "date the grade was awarded" in issues[2]["grade_valid_from"]
    assert "cannot end before it starts" in issues[3]["grade_valid_until"]
    assert "is not a grade" in issues[4]["grade"]
    assert "is not a date" in issues[5]["grade_valid_from"] and "grade_valid_until" not in issues[5]
    assert "6, 9 or 12 digits" in issues[6]["region_code"]
    assert "No region has the code 440402099" in issues[7]["region_code"]
    assert sorted(issues[8]) == ["credit_code", "kind", "name", "region_code"]
    assert Organisation.objects.count() == 0


def test_confirmation_checks_the_file_again(client, officer, charity_officer, english):
    response = preview(client, xlsx_upload([row("后来者", "社会团体", credit_code(61))]))
    assert response.context["preview"].clean
    services.organisation_register(  # someone registered the same code since the preview
        actor=charity_officer,
        region_code="440402000000",
        name="先到者",
        kind="social_group",
        credit_code=credit_code(61),
    )
    refused = confirm(client, response)
    assert refused.status_code == 409
    assert "registered already" in refused.content.decode()
    assert list(Organisation.objects.values_list("name", flat=True)) == ["先到者"]


def test_a_preview_that_is_no_longer_the_pending_file_is_not_confirmed(client, officer):
    old = preview(client, xlsx_upload([row("甲", "社会团体", credit_code(71))]))
    preview(client, xlsx_upload([row("乙", "社会团体", credit_code(72))]))
    response = confirm(client, old)
    assert response.status_code == 409
    assert Organisation.objects.count() == 0
    assert len(stored_files(officer)) == 1


def test_cancel_discards_the_file(client, officer):
    preview(client, xlsx_upload([row("甲", "社会团体", credit_code(71))]))
    assert len(stored_files(officer)) == 1
    response = client.post(CONFIRM_URL, {"action": "cancel"})
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert stored_files(officer) == [] and importing.SESSION_KEY not in client.session
    assert Organisation.objects.count() == 0
    assert client.post(CONFIRM_URL, {"action": "import_all"}).status_code == 302  # nothing waiting any more
    assert client.post(CONFIRM_URL, {"action": "delete_everything"}).status_code == 400


def test_the_pending_file_has_its_own_session_slot(client, officer):
    """A household file waiting on the registry's import page is not replaced by an organisation file."""
    session = client.session
    session[limits.SESSION_KEY] = {"token": "0" * 32, "extension": "xlsx", "digest": "x", "user_id": officer.pk}
    session.save()
    preview(client, xlsx_upload([row("甲", "社会团体", credit_code(71))]))
    assert client.session[limits.SESSION_KEY]["token"] == "0" * 32
    assert client.session[importing.SESSION_KEY]["user_id"] == officer.pk


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("list.xls", b"\xd0\xcf\x11\xe0 old excel"), "save it as .xlsx"),
        (SimpleUploadedFile("list.xlsx", b"not a zip at all"), "not an Excel workbook"),
        (SimpleUploadedFile("list.csv", "名称,联系人\n甲,某人\n".encode()), "required columns are missing"),
        (SimpleUploadedFile("list.csv", ",".join(ZH_HEADERS).encode() + b"\n"), "no data rows"),
    ],
    ids=["xls", "fake-xlsx", "missing-columns", "header-only"],
)
def test_unusable_files_get_a_message_next_to_the_field(client, officer, english, upload, message):
    response = preview(client, upload)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors["file"])
    assert 'class="field-error"' in response.content.decode()
    assert stored_files(officer) == []


def test_the_upload_page_explains_the_columns(client, officer, english):
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="upload-form"' in page and 'data-testid="template-link"' in page
    assert 'data-column="credit_code"' in page and "Social group (社会团体)" in page
    assert response["Cache-Control"].startswith("max-age=0")


# ---------------------------------------------------------------------------------------------------- template


def test_the_template_downloads_and_reimports_cleanly_after_filling(client, officer, english):
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == importing.XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == EN_HEADERS
    example = [c.value for c in sheet[2]]
    assert example[2] == importing.EXAMPLE_CREDIT_CODE and example[6] == "440402"
    assert sheet.max_row == 2 and len(workbook.worksheets) == 2  # the instructions

    sheet.append(row("拱北街道慈善工作站", "Foundation", credit_code(81), "440402005", grade="2A",
                     valid_from=datetime(2025, 6, 1)))  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    checked = preview(client, SimpleUploadedFile("filled.xlsx", buffer.getvalue()))
    assert checked.status_code == 200
    assert checked.context["preview"].clean, checked.context["preview"].issues
    assert confirm(client, checked).status_code == 302
    assert codes() == {importing.EXAMPLE_CREDIT_CODE, credit_code(81)}


def test_the_template_builds_outside_a_request():
    with translation.override("en"):
        workbook = openpyxl.load_workbook(io.BytesIO(importing.template_workbook()))
    assert [c.value for c in workbook.worksheets[0][1]] == EN_HEADERS


# ------------------------------------------------------------------------------------------------------ access


def test_a_caseworker_may_not_import(client, caseworker):
    client.force_login(caseworker)
    assert client.get(IMPORT_URL).status_code == 403
    assert preview(client, xlsx_upload([row("甲", "社会团体", credit_code(91))])).status_code == 403
    assert client.post(CONFIRM_URL, {"action": "import_all"}).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    assert Organisation.objects.count() == 0


def test_import_needs_sign_in_and_the_right_methods(client, db):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(CONFIRM_URL).status_code == 302


def test_confirm_and_template_accept_only_their_method(client, officer):
    assert client.get(CONFIRM_URL).status_code == 405
    assert client.post(TEMPLATE_URL).status_code == 405


def test_preview_and_run_import_directly(charity_officer, organisation):
    """The module's own entry points: a bad row refuses everything; only_valid registers the rest."""
    content = xlsx_upload(mixed_file(organisation.credit_code)).read()
    with translation.override("en"):
        checked = importing.preview(charity_officer, content, "xlsx")
        assert [(r.row, [i.column for i in r.issues]) for r in checked.rows][:3] == [
            (2, []),
            (3, ["credit_code"]),
            (4, ["kind"]),
        ]
        with pytest.raises(limits.ImportRefused):
            importing.run_import(charity_officer, content, "xlsx")
        assert codes() == {organisation.credit_code}
        _checked, result = importing.run_import(charity_officer, content, "xlsx", only_valid=True)
    assert [o.credit_code for o in result.organisations] == [credit_code(11)]

"""Household import (preview, confirm, only-valid) and export (CSV, XLSX) pages."""

import csv
import io

import openpyxl
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from civic import idnumbers, services
from civic.models import FieldChange, Household, HouseholdMembership, Resident
from civic.registry_io import columns, limits
from civic.registry_io.resources import HouseholdMemberResource
from civic.roles import Role

IMPORT_URL = "/registry/households/import/"
EXPORT_URL = "/registry/households/export/"
TEMPLATE_URL = "/registry/households/import/template/"

ZH_HEADERS = [
    "户编号", "社区代码", "地址", "与户主关系", "姓名", "身份证号",
    "电话", "户籍类型", "残疾类别", "残疾等级", "重病", "劳动能力",
]  # fmt: skip
EN_HEADERS = [
    "Household key", "Community code", "Address", "Relationship to head", "Name", "ID number", "Phone",
    "Household registration type", "Disability category", "Disability grade", "Serious illness", "Work ability",
]  # fmt: skip
EN_EXPORT_HEADERS = [
    "Household number", "Community", "Address", "Urban or rural", "Relationship to head", "Name", "ID number", "Sex",
    "Date of birth", "Phone", "Household registration type", "Disability category", "Disability grade",
    "Serious illness", "Work ability",
]  # fmt: skip


def valid_id(seq, birth="19800101", area="440402"):
    body = f"{area}{birth}{seq:03d}"
    return body + idnumbers.check_char(body)


def wrong_check(number):
    return number[:17] + ("0" if number[17] != "0" else "1")


def row(key, community, relationship, name, id_number, *, address="迎宾南路1号", phone="", hukou="", category="",
        grade="", illness="否", ability=""):  # fmt: skip
    return [key, community, address, relationship, name, id_number, phone, hukou, category, grade, illness, ability]


def xlsx_upload(rows, headers=ZH_HEADERS, name="households.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=limits.FORMATS["xlsx"].CONTENT_TYPE)


def csv_upload(rows, headers=ZH_HEADERS, name="households.csv", encoding="utf-8-sig"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), content_type="text/csv")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def caseworker(client, staff_factory):
    user = staff_factory(Role.CASEWORKER, "440402005001")
    client.force_login(user)
    return user


@pytest.fixture
def reviewer(client, staff_factory):
    user = staff_factory(Role.STREET_REVIEWER, "440402005000")
    client.force_login(user)
    return user


@pytest.fixture
def register(regions, django_user_model):
    admin = django_user_model.objects.create_superuser("root-io", password="Str0ng-pass-word!")

    def make(region_code, members, address="测试路1号"):
        return services.household_create(actor=admin, region_code=region_code, address=address, members=members)

    return make


def member(name, id_number, relationship="head"):
    return {"name": name, "id_number": id_number, "relationship": relationship}


def nothing_saved():
    return (
        Household.objects.count() == 0
        and Resident.objects.count() == 0
        and HouseholdMembership.objects.count() == 0
        and FieldChange.objects.count() == 0
    )


def preview(client, upload):
    return client.post(IMPORT_URL, {"action": "preview", "file": upload})


def confirm(client, response, action="import_all"):
    return client.post(IMPORT_URL, {"action": action, "digest": response.context["pending"].digest})


def issues_by_row(response):
    result = {}
    for issue in response.context["preview"].issues:
        result.setdefault(issue.row, []).append((issue.column, issue.message))
    return result


def stored_files(user):
    folder = f"imports/{user.pk}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def mixed_file():
    """Rows 2–10: one bad thing per household except H5."""
    first = valid_id(1)
    return [
        row("H1", "440402005001", "户主", "王一", first),  # row 2: fine, but its ID is repeated on row 7
        row("H1", "440402005001", "配偶", "李二", wrong_check(valid_id(2))),  # row 3: wrong check character
        row("H2", "440402001001", "户主", "康三", valid_id(3)),  # row 4: 康宁社区 is outside a 侨光 caseworker's area
        row("H3", "440402005001", "户主", "赵四", valid_id(4)),  # rows 5 and 6: two heads
        row("H3", "440402005001", "head", "钱五", valid_id(5)),
        row("H4", "440402005001", "户主", "孙六", first),  # row 7: same ID as row 2
        row("H5", "440402005001", "户主", "周七", valid_id(7), phone="13800000007"),  # rows 8–9: a good household
        row("H5", "440402005001", "子女", "周八", valid_id(8, birth="20100101"), category="肢体", grade="2"),
    ]


# ------------------------------------------------------------------------------------------------- import


def test_preview_names_each_bad_row_and_saves_nothing(client, caseworker, english):
    response = preview(client, xlsx_upload(mixed_file()))
    assert response.status_code == 200
    issues = issues_by_row(response)
    assert sorted(issues) == [2, 3, 4, 5, 6, 7]
    assert "check character is wrong" in dict(issues[3])["id_number"]
    assert "outside your area" in dict(issues[4])["community_code"]
    assert "2 heads" in dict(issues[5])["relationship"] and "2 heads" in dict(issues[6])["relationship"]
    assert "also on row 7" in dict(issues[2])["id_number"]
    assert "also on row 2" in dict(issues[7])["id_number"]
    assert 8 not in issues and 9 not in issues

    page = response.content.decode()
    assert 'data-row="3"' in page and "check character is wrong" in page
    assert "outside your area" in page
    assert "Import only the valid households" in page
    counts = response.context["preview"]
    assert counts.row_count == 8 and counts.valid_row_count == 2
    assert len(counts.households) == 5 and [h.key for h in counts.valid_households] == ["H5"]

    assert nothing_saved()
    assert len(stored_files(caseworker)) == 1  # kept for the confirmation, under imports/<user id>/
    assert limits.SESSION_KEY in client.session


def test_each_cell_is_checked_and_named(client, caseworker, english):
    rows = [
        row("", "440402005001", "户主", "无户号", valid_id(91)),  # row 2: no household key
        row("K", "440402005001", "邻居", "关系错", valid_id(92)),  # row 3: unknown relationship, so K has no head
        row("K", "440402005000", "子女", "街道码", valid_id(93)),  # row 4: a street, not a community
        row("L", "440402005001", "户主", "等级错", valid_id(94), category="视力", grade="5"),  # row 5
        row("M", "440402005001", "户主", "缺等级", valid_id(95), category="听力"),  # row 6: category without grade
        row("N", "440402005001", "户主", "重病错", valid_id(96), illness="也许"),  # row 7
    ]
    issues = issues_by_row(preview(client, xlsx_upload(rows)))

    def said(number, column):
        return " | ".join(m for c, m in issues.get(number, []) if c == column)

    assert "household key" in said(2, "household_key")
    assert "not a relationship" in said(3, "relationship") and "no head" in said(3, "relationship")
    assert "not a community" in said(4, "community_code")
    assert "not a disability grade" in said(5, "disability_grade")
    assert "both the disability category and the grade" in said(6, "disability_grade")
    assert "yes or no" in said(7, "serious_illness")
    assert nothing_saved()


def test_confirming_a_file_with_a_bad_row_saves_nothing(client, caseworker, english):
    checked = preview(client, xlsx_upload(mixed_file()))
    response = confirm(client, checked, "import_all")
    assert response.status_code == 409
    assert "Nothing was imported" in response.content.decode()
    assert nothing_saved()
    assert len(stored_files(caseworker)) == 1  # still there: the user may now import only the valid households


def test_only_valid_households_imports_just_those(client, caseworker, english):
    checked = preview(client, xlsx_upload(mixed_file()))
    response = confirm(client, checked, "import_valid")
    assert response.status_code == 302
    household = Household.objects.get()
    assert household.region_id == "440402005001"
    assert sorted(household.members.values_list("name", flat=True)) == ["周七", "周八"]
    assert household.head.name == "周七"
    child = Resident.objects.get(name="周八")
    assert (child.relationship, child.disability_category, child.disability_grade) == ("child", "physical", 2)
    assert not Resident.objects.filter(name__in=["王一", "李二", "康三", "赵四", "钱五", "孙六"]).exists()
    assert stored_files(caseworker) == []
    assert limits.SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Imported 1 household with 2 members." in page
    assert "4 households were skipped" in page


@pytest.mark.parametrize(
    ("headers", "make_upload"),
    [(ZH_HEADERS, xlsx_upload), (EN_HEADERS, xlsx_upload), (ZH_HEADERS, csv_upload), (EN_HEADERS, csv_upload)],
    ids=["zh-xlsx", "en-xlsx", "zh-csv", "en-csv"],
)
def test_a_valid_file_imports_every_household_with_history(client, reviewer, headers, make_upload):
    rows = [
        row("A", "440402005001", "spouse", "陈一", valid_id(12, birth="19820202")),
        row("A", "440402005001", "户主", "陈二", valid_id(11), phone="13800000011", hukou="本地城镇"),
        row("A", "440402005001", "child", "陈三", valid_id(13, birth="20150505"), illness="是", ability="无劳动能力"),
        row("B", "440402005002", "Head of household", "林四", valid_id(21, birth="19700303"), address="拱北路2号"),
    ]
    response = preview(client, make_upload(rows, headers=headers))
    assert response.status_code == 200
    assert response.context["preview"].clean, response.context["preview"].issues
    assert Household.objects.count() == 0

    response = confirm(client, response, "import_all")
    assert response.status_code == 302
    assert Household.objects.count() == 2 and Resident.objects.count() == 4
    first = Household.objects.get(region_id="440402005001")
    assert first.head.name == "陈二" and first.address == "迎宾南路1号"
    assert sorted(first.members.values_list("relationship", flat=True)) == ["child", "head", "spouse"]
    child = Resident.objects.get(name="陈三")
    assert child.serious_illness and child.work_ability == "none" and child.sex == "M"
    assert str(child.birth_date) == "2015-05-05"
    second = Household.objects.get(region_id="440402005002")
    assert second.head.name == "林四" and second.address == "拱北路2号"
    assert HouseholdMembership.objects.filter(ended_at__isnull=True).count() == 4

    actions = set(FieldChange.objects.values_list("action", flat=True))
    assert actions == {FieldChange.Action.IMPORTED}
    assert FieldChange.objects.filter(object_id=first.pk, field="head").exists()
    assert FieldChange.objects.filter(actor=reviewer).count() == FieldChange.objects.count()
    assert stored_files(reviewer) == []


def test_confirmation_checks_the_file_again(client, caseworker, register, english):
    taken = valid_id(31)
    response = preview(client, xlsx_upload([row("X", "440402005001", "户主", "吴一", taken)]))
    assert response.context["preview"].clean
    register("440402005001", [member("吴一", taken)])  # someone registered this person since the preview
    before = Household.objects.count()
    response = confirm(client, response, "import_all")
    assert response.status_code == 409
    assert "already registered" in response.content.decode()
    assert Household.objects.count() == before


def test_confirmation_of_a_preview_that_is_no_longer_the_pending_file_is_refused(client, caseworker, english):
    old = preview(client, xlsx_upload([row("X", "440402005001", "户主", "吴一", valid_id(41))]))
    preview(client, xlsx_upload([row("Y", "440402005001", "户主", "吴二", valid_id(42))]))
    response = confirm(client, old)
    assert response.status_code == 409
    assert nothing_saved()
    assert len(stored_files(caseworker)) == 1  # the first upload was replaced, not left behind


def test_discarding_deletes_the_stored_file(client, caseworker):
    preview(client, xlsx_upload([row("X", "440402005001", "户主", "吴一", valid_id(41))]))
    assert len(stored_files(caseworker)) == 1
    response = client.post(IMPORT_URL, {"action": "discard"})
    assert response.status_code == 302
    assert stored_files(caseworker) == [] and limits.SESSION_KEY not in client.session
    assert nothing_saved()


def test_the_pending_preview_is_shown_again_on_return(client, caseworker):
    preview(client, xlsx_upload(mixed_file()))
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    assert sorted(issues_by_row(response)) == [2, 3, 4, 5, 6, 7]


def test_empty_state_without_a_file(client, caseworker):
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    assert response.context["preview"] is None
    assert 'data-testid="empty"' in response.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("people.xls", b"\xd0\xcf\x11\xe0 old excel"), "save it as .xlsx"),
        (SimpleUploadedFile("people.pdf", b"%PDF-1.4"), "Upload an .xlsx or .csv file"),
        (SimpleUploadedFile("people.xlsx", b"not a zip at all"), "not an Excel workbook"),
        (SimpleUploadedFile("people.csv", "姓名,电话\n王一,138\n".encode()), "required columns are missing"),
        (SimpleUploadedFile("people.csv", "户编号,社区代码,地址,与户主关系,姓名,身份证号\n".encode()), "no data rows"),
    ],
    ids=["xls", "pdf", "fake-xlsx", "missing-columns", "header-only"],
)
def test_unusable_files_get_a_clear_message_next_to_the_field(client, caseworker, english, upload, message):
    response = preview(client, upload)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors["file"])
    assert 'class="field-error"' in response.content.decode()
    assert stored_files(caseworker) == [] and nothing_saved()


def test_files_over_the_size_limit_are_refused(client, caseworker, english, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UPLOAD_BYTES", 1000)
    upload = csv_upload([row("X", "440402005001", "户主", f"吴{i}", valid_id(i)) for i in range(1, 40)])
    response = preview(client, upload)
    assert response.status_code == 400
    assert "the limit is" in str(response.context["form"].errors["file"])


def test_gbk_csv_and_row_numbers_after_blank_lines(client, caseworker, english):
    text = "\r\n".join(
        [
            ",".join(ZH_HEADERS),
            ",".join(row("X", "440402005001", "户主", "吴一", valid_id(51))),
            "",  # Excel counts this as row 3
            ",".join(row("X", "440402005001", "配偶", "吴二", wrong_check(valid_id(52)))),
        ]
    )
    response = preview(client, SimpleUploadedFile("gbk.csv", text.encode("gb18030")))
    assert response.status_code == 200
    assert sorted(issues_by_row(response)) == [4]


def test_users_without_registry_edit_may_not_import(client, staff_factory):
    client.force_login(staff_factory(Role.AUDITOR, "440400"))
    assert client.get(IMPORT_URL).status_code == 403
    upload = xlsx_upload([row("X", "440402005001", "户主", "吴一", valid_id(41))])
    assert client.post(IMPORT_URL, {"action": "preview", "file": upload}).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    assert nothing_saved()


def test_import_needs_sign_in(client, db):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_template_downloads_and_its_example_row_previews_clean(client, caseworker):
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    header, example = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert len(header) == len(columns.COLUMNS) and sheet.max_row == 2
    assert example[1] == "440402005001"
    assert len(workbook.worksheets) == 2  # instructions

    checked = preview(client, SimpleUploadedFile("template.xlsx", response.content))
    assert checked.status_code == 200
    assert checked.context["preview"].clean, checked.context["preview"].issues


# ------------------------------------------------------------------------------------------------- export


@pytest.fixture
def two_communities(register):
    register("440402005001", [member("侨光户主", valid_id(61)), member("侨光配偶", valid_id(62), "spouse")])
    register("440402005002", [member("拱北户主", valid_id(71))])


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")))), body.decode("utf-8-sig")


def test_csv_export_is_scoped_to_the_users_community_and_masks_id_numbers(client, caseworker, two_communities, english):
    response = client.get(EXPORT_URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="households-')
    rows, text = read_csv(response)
    assert rows[0] == EN_EXPORT_HEADERS
    assert [r[5] for r in rows[1:]] == ["侨光户主", "侨光配偶"]  # head first
    assert {r[0].split("-")[0] for r in rows[1:]} == {"440402005001"}
    assert {r[1] for r in rows[1:]} == {"侨光社区"}
    assert "拱北" not in text
    assert rows[1][6] == idnumbers.mask(valid_id(61)) == "440402********" + valid_id(61)[-4:]
    for number in (valid_id(61), valid_id(62), valid_id(71)):
        assert number not in text

    # Searching for a name of the other community finds nothing, rather than leaking it.
    rows, _text = read_csv(client.get(EXPORT_URL, {"format": "csv", "q": "拱北户主"}))
    assert rows == [EN_EXPORT_HEADERS]


def test_export_follows_the_list_search(client, reviewer, two_communities):
    rows, _text = read_csv(client.get(EXPORT_URL, {"format": "csv", "q": "拱北"}))
    assert [r[5] for r in rows[1:]] == ["拱北户主"]
    rows, _text = read_csv(client.get(EXPORT_URL, {"format": "csv"}))
    assert len(rows) == 4  # header and the three members of the street


def test_xlsx_export_opens_with_openpyxl_and_has_the_headers(client, caseworker, two_communities, english):
    response = client.get(EXPORT_URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(values[0]) == EN_EXPORT_HEADERS
    assert len(values) == 3
    assert {v[1] for v in values[1:]} == {"侨光社区"}
    assert values[1][6] == idnumbers.mask(valid_id(61))


def test_export_headers_follow_the_active_language(client, caseworker, two_communities):
    response = client.get(EXPORT_URL, {"format": "xlsx"})
    header = next(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].values)
    with translation.override("zh-hans"):
        expected = HouseholdMemberResource().get_export_headers()
    assert list(header) == expected


def test_export_needs_registry_view_and_a_known_format(client, staff_factory):
    client.force_login(staff_factory(Role.MEAL_OPERATOR, "440402005003"))
    assert client.get(EXPORT_URL, {"format": "csv"}).status_code == 403
    client.force_login(staff_factory(Role.CASEWORKER, "440402005001"))
    assert client.get(EXPORT_URL, {"format": "pdf"}).status_code == 400


def test_spreadsheet_formulas_are_not_exported_as_formulas(client, reviewer, register):
    register("440402005001", [member("=HYPERLINK(1)", valid_id(81))], address="@SUM(A1)")
    rows, _text = read_csv(client.get(EXPORT_URL, {"format": "csv"}))
    assert rows[1][5] == "'=HYPERLINK(1)" and rows[1][2] == "'@SUM(A1)"
    response = client.get(EXPORT_URL, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert sheet.cell(row=2, column=6).data_type == "s" and sheet.cell(row=2, column=6).value == "=HYPERLINK(1)"


def test_uploads_left_waiting_for_a_day_are_purged(settings, tmp_path):
    import os
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from civic.tasks import purge_stale_imports

    settings.MEDIA_ROOT = tmp_path
    old = default_storage.save("imports/7/old.xlsx", ContentFile(b"x"))
    fresh = default_storage.save("imports/7/fresh.xlsx", ContentFile(b"y"))
    two_days_ago = time.time() - 48 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    assert purge_stale_imports.delay().get() == 1
    assert not default_storage.exists(old) and default_storage.exists(fresh)

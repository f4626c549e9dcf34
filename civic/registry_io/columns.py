"""The import spreadsheet's columns: headers in both languages, accepted words for choices, the template."""

import io
import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from civic import idnumbers
from civic.models import DisabilityCategory, HukouType, Relationship, WorkAbility


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy translation
    aliases: tuple = ()
    required: bool = False


COLUMNS = (
    Column(
        "household_key",
        pgettext_lazy("spreadsheet column", "Household key"),
        ("户编号", "户号", "家庭编号", "household key", "household", "household_key"),
        required=True,
    ),
    Column(
        "community_code",
        pgettext_lazy("spreadsheet column", "Community code"),
        ("社区代码", "社区编码", "社区（村）代码", "村（社区）代码", "community code", "region code"),
        required=True,
    ),
    Column("address", pgettext_lazy("spreadsheet column", "Address"), ("地址", "住址", "家庭住址"), required=True),
    Column(
        "relationship",
        pgettext_lazy("spreadsheet column", "Relationship to head"),
        ("与户主关系", "关系", "relationship", "relationship to head"),
        required=True,
    ),
    Column("name", pgettext_lazy("spreadsheet column", "Name"), ("姓名", "name"), required=True),
    Column(
        "id_number",
        pgettext_lazy("spreadsheet column", "ID number"),
        ("身份证号", "身份证号码", "公民身份号码", "id number", "id no", "id_number"),
        required=True,
    ),
    Column("phone", pgettext_lazy("spreadsheet column", "Phone"), ("电话", "联系电话", "手机", "手机号", "phone")),
    Column(
        "hukou_type",
        pgettext_lazy("spreadsheet column", "Household registration type"),
        ("户籍类型", "户口类型", "registration type", "household registration", "hukou type", "hukou"),
    ),
    Column(
        "disability_category",
        pgettext_lazy("spreadsheet column", "Disability category"),
        ("残疾类别", "残疾类型"),
    ),
    Column("disability_grade", pgettext_lazy("spreadsheet column", "Disability grade"), ("残疾等级", "残疾级别")),
    Column(
        "serious_illness",
        pgettext_lazy("spreadsheet column", "Serious illness"),
        ("重病", "是否重病", "重大疾病"),
    ),
    Column("work_ability", pgettext_lazy("spreadsheet column", "Work ability"), ("劳动能力",)),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}

# Words people write in the bureau's spreadsheets besides the choice labels themselves.
CHOICE_WORDS = {
    Relationship: {
        Relationship.HEAD: ("户主", "本人"),
        Relationship.SPOUSE: ("配偶", "妻", "夫", "妻子", "丈夫"),
        Relationship.CHILD: ("子女", "子", "女", "儿子", "女儿", "长子", "长女", "次子", "次女"),
        Relationship.PARENT: ("父母", "父亲", "母亲", "父", "母"),
        Relationship.GRANDCHILD: ("孙子女", "孙子", "孙女", "外孙子", "外孙女", "外孙"),
        Relationship.GRANDPARENT: ("祖父母", "祖父", "祖母", "外祖父", "外祖母"),
        Relationship.SIBLING: ("兄弟姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹"),
        Relationship.CHILD_IN_LAW: ("儿媳", "女婿", "媳妇", "son-in-law", "daughter-in-law"),
        Relationship.OTHER: ("其他", "其他亲属", "other"),
    },
    HukouType: {
        HukouType.LOCAL_URBAN: ("本地城镇", "本地城镇户籍", "城镇", "城镇户籍", "urban"),
        HukouType.LOCAL_RURAL: ("本地农村", "本地农村户籍", "农村", "农村户籍", "rural"),
        HukouType.NON_LOCAL: ("外地", "外地户籍", "非本地", "非本地户籍", "non-local"),
    },
    DisabilityCategory: {
        DisabilityCategory.VISUAL: ("视力残疾", "视力"),
        DisabilityCategory.HEARING: ("听力残疾", "听力"),
        DisabilityCategory.SPEECH: ("言语残疾", "言语"),
        DisabilityCategory.PHYSICAL: ("肢体残疾", "肢体"),
        DisabilityCategory.INTELLECTUAL: ("智力残疾", "智力"),
        DisabilityCategory.MENTAL: ("精神残疾", "精神"),
        DisabilityCategory.MULTIPLE: ("多重残疾", "多重"),
    },
    WorkAbility: {
        WorkAbility.FULL: ("有劳动能力", "完全劳动能力", "有", "full"),
        WorkAbility.PARTIAL: ("部分丧失劳动能力", "部分劳动能力", "部分", "partial"),
        WorkAbility.NONE: ("无劳动能力", "完全丧失劳动能力", "丧失劳动能力", "无", "none"),
    },
}
YES_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
NO_WORDS = {"", "否", "无", "没有", "n", "no", "false", "0", "×"}
GRADE = re.compile(r"^([1-4一二三四])(级)?$")
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
LANGUAGES = ("zh-hans", "en")


def norm_text(text):
    """Header and choice comparison: case, spaces, underscores, hyphens and required-field stars do not count."""
    return re.sub(r"[\s_\-*:：]+", "", str(text).lower())


def _in_each_language(label):
    names = set()
    for language in LANGUAGES:
        with translation.override(language):
            names.add(str(label))
    return names


def header_lookup(columns=COLUMNS):
    """Normalised header text → column key: each column's key, aliases and label in every language."""
    lookup = {}
    for column in columns:
        for name in (column.key, *column.aliases, *_in_each_language(column.label)):
            lookup.setdefault(norm_text(name), column.key)
    return lookup


def choice_lookup(choices):
    lookup = {}
    for value, label in choices.choices:
        for name in (value, *_in_each_language(label)):
            lookup.setdefault(norm_text(name), value)
    for value, words in CHOICE_WORDS.get(choices, {}).items():
        for word in words:
            lookup.setdefault(norm_text(word), value)
    return lookup


def template_headers():
    """The header row of the template file, in the active language."""
    return [str(c.label) for c in COLUMNS]


COLUMN_HELP = {
    "household_key": gettext_lazy(
        "Any text, the same on every row of one household; it only groups the rows of this file."
    ),
    "community_code": gettext_lazy("The 12-digit code of the community or village; it must lie in your area."),
    "address": gettext_lazy("The household's address; it may be left empty on the household's other rows."),
    "relationship": None,
    "name": gettext_lazy("The member's name."),
    "id_number": gettext_lazy(
        "The 18-character resident ID number; sex and date of birth are taken from it. "
        "Format the column as text so Excel keeps every digit."
    ),
    "phone": gettext_lazy("Optional."),
    "hukou_type": None,
    "disability_category": None,
    "disability_grade": gettext_lazy("1, 2, 3 or 4; only together with a disability category."),
    "serious_illness": gettext_lazy("Yes or no; empty means no."),
    "work_ability": None,
}
CHOICE_COLUMNS = {
    "relationship": Relationship,
    "hukou_type": HukouType,
    "disability_category": DisabilityCategory,
    "work_ability": WorkAbility,
}

CHOICE_DEFAULTS = {"hukou_type": HukouType.LOCAL_URBAN, "disability_category": None, "work_ability": WorkAbility.FULL}


def column_guide():
    """What to write in each column, in the active language (for the page and the template's instructions)."""
    guide = []
    for column in COLUMNS:
        choices = CHOICE_COLUMNS.get(column.key)
        if choices is not None:
            help_text = _("One of: %(choices)s.") % {"choices": " / ".join(str(label) for label in choices.labels)}
            if column.key in CHOICE_DEFAULTS:
                default = CHOICE_DEFAULTS[column.key]
                empty = _("Empty means: %(value)s.") % {"value": default.label} if default else _("Empty means none.")
                help_text = f"{help_text} {empty}"
        else:
            help_text = str(COLUMN_HELP[column.key])
        guide.append({"key": column.key, "label": str(column.label), "required": column.required, "help": help_text})
    return guide


def template_workbook(actor):
    """The import template: the header row in the active language, one example row, and an instructions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from civic import selectors

    community = selectors.communities_for(actor).first()
    body = "440402" + "19800101" + "001"
    example = {
        "household_key": "1",
        "community_code": community.code if community else "440402005001",
        "address": _("No. 1 Example Road"),
        "relationship": str(Relationship.HEAD.label),
        "name": _("Example Name"),
        "id_number": body + idnumbers.check_char(body),
        "phone": "13800000000",
        "hukou_type": str(HukouType.LOCAL_URBAN.label),
        "disability_category": "",
        "disability_grade": "",
        "serious_illness": pgettext("spreadsheet value", "No"),
        "work_ability": str(WorkAbility.FULL.label),
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("spreadsheet sheet", "Households")[:31]
    bold = Font(bold=True)
    sheet.append(template_headers())
    sheet.append([example[c.key] for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = bold
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 22 if column.key in ("id_number", "address", "community_code") else 14
        if column.key in ("id_number", "community_code", "phone", "household_key"):
            sheet.cell(row=2, column=index).number_format = "@"  # text: Excel keeps every digit
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(pgettext("spreadsheet sheet", "Instructions")[:31])
    notes.append([_("Column"), _("Required"), _("What to write")])
    for cell in notes[1]:
        cell.font = bold
    for row in column_guide():
        yes, no = pgettext("spreadsheet value", "Yes"), pgettext("spreadsheet value", "No")
        notes.append([row["label"], yes if row["required"] else no, row["help"]])
    notes.append([])
    notes.append([_("One row per household member; the header is row 1. Remove the example row before importing.")])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

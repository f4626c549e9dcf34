from datetime import date

import pytest
from django.utils import translation

from civic import idnumbers
from tests.conftest import id_number


def test_a_valid_number_gives_birth_date_and_sex():
    parsed = idnumbers.parse("11010519491231002X")  # the standard's own example
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "F"
    assert idnumbers.parse(id_number(seq=1)).sex == "M"


def test_lower_case_x_and_spaces_are_normalised():
    assert idnumbers.parse(" 11010519491231002x ").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "zh", "en"),
    [
        ("110105194912310021", "校验码错误", "check character is wrong"),
        ("11010519491231002", "18 位", "18 characters"),
        ("1101051949123100AX", "17 位数字", "17 digits"),
        ("110105194913310028", "出生日期", "birth date"),
        ("110105209912310024", "不可能", "impossible"),
    ],
)
def test_a_wrong_number_is_explained_in_both_languages(number, zh, en):
    for language, expected in (("zh-hans", zh), ("en", en)):
        with translation.override(language), pytest.raises(idnumbers.InvalidIdNumber) as info:
            idnumbers.parse(number)
        assert expected in str(info.value), (language, str(info.value))


def test_the_check_character_error_names_the_right_character():
    with translation.override("en"), pytest.raises(idnumbers.InvalidIdNumber, match="should be X, not 1"):
        idnumbers.parse("110105194912310021")


def test_masking_keeps_area_code_and_last_four():
    assert idnumbers.mask("440402198001010019") == "440402********0019"
    assert idnumbers.mask("") == ""

"""The benefit rules, table by table (DOMAIN.md)."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from relief import rules
from relief.programmes import Approval, CareForm, CareLevel, IncomeKind, Programme, Rounding, TopUpMode
from relief.rules import Household, Income, Member, Policy, TopUpRule

ZHONGSHAN = Policy(dibao_standard=D("1100"))


def family(*members, **options):
    return Household(members=tuple(members), **options)


def adult(wages="0", **kwargs):
    return Member(age=kwargs.pop("age", 40), incomes=(Income(IncomeKind.WAGES, D(wages)),), **kwargs)


def test_the_worked_example_from_zhongshan():
    """Standard 1,100, three people, per-capita income 700 → 1,200; one minor with a 40% top-up → 1,640."""
    household = family(adult("1400"), adult("700"), Member(name="小明", age=10))
    assert rules.dibao(ZHONGSHAN, household).amount == D("1200.00")
    policy = replace(ZHONGSHAN, topups=(TopUpRule("minor", "percent", D("40")),))
    quote = rules.dibao(policy, household)
    assert quote.eligible and quote.amount == D("1640.00")
    texts = " | ".join(line.text for line in quote.lines)
    for figure in ("1,100.00", "3,300.00", "2,100.00", "1,200.00", "440.00", "1,640.00", "小明"):
        assert figure in texts


def test_gap_is_standard_times_members_minus_income_without_per_capita_rounding():
    household = family(adult("1000"), adult("0"), adult("0"))  # per capita 333.333…
    assert rules.dibao(ZHONGSHAN, household).amount == D("2300.00")


@pytest.mark.parametrize(
    "kind",
    ["special_care", "family_planning", "scholarship", "bravery", "assistance", "basic_pension"],
)
def test_excluded_kinds_are_not_counted(kind):
    household = family(Member(age=70, incomes=(Income(kind, D("500")), Income(IncomeKind.PENSION, D("300")))))
    quote = rules.dibao(ZHONGSHAN, household)
    assert quote.amount == D("800.00")  # only the 300 pension counts
    assert any("500.00" in line.text for line in quote.lines)


def test_rigid_costs_are_deducted_but_income_never_goes_negative():
    assert rules.dibao(ZHONGSHAN, family(adult("900"), rigid_deduction=D("200"))).amount == D("400.00")
    assert rules.dibao(ZHONGSHAN, family(adult("100"), rigid_deduction=D("500"))).amount == D("1100.00")


def test_not_eligible_when_income_per_person_reaches_the_standard():
    quote = rules.dibao(ZHONGSHAN, family(adult("2200"), adult("0")))
    assert not quote.eligible and quote.amount == D("0.00")


def test_members_not_covered_are_left_out_of_size_and_income():
    household = family(Member(age=50, disability_grade=1), adult("3000", covered=False))
    assert rules.dibao(ZHONGSHAN, household).amount == D("1100.00")


@pytest.mark.parametrize(
    ("floor", "expected"),
    [(None, D("100.00")), (D("0.2"), D("400.00")), (D("0.04"), D("100.00"))],
)
def test_floor_per_member(floor, expected):
    policy = Policy(dibao_standard=D("1000"), floor_share=floor)
    assert rules.dibao(policy, family(adult("1000"), adult("900"))).amount == expected


ELDER_AND_DISABLED = Member(name="老李", age=82, disability_grade=2)
TOPUPS = (
    TopUpRule("elderly", "fixed", D("200"), min_age=80),
    TopUpRule("severe_disability", "percent", D("30")),
    TopUpRule("elderly", "fixed", D("100"), min_age=60),
)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [(TopUpMode.HIGHEST, D("1300.00")), (TopUpMode.SUM, D("1600.00"))],
)
def test_top_ups_highest_only_or_summed(mode, expected):
    policy = Policy(dibao_standard=D("1000"), topups=TOPUPS, topup_mode=mode)
    assert rules.dibao(policy, family(ELDER_AND_DISABLED)).amount == expected


@pytest.mark.parametrize(
    ("rule", "member", "household_options", "applies"),
    [
        (TopUpRule("elderly", "fixed", D("100"), min_age=70), Member(age=75), {}, True),
        (TopUpRule("elderly", "fixed", D("100"), min_age=70), Member(age=65), {}, False),
        (TopUpRule("severe_disability", "fixed", D("100")), Member(disability_grade=1), {}, True),
        (TopUpRule("severe_disability", "fixed", D("100")), Member(disability_grade=3), {}, False),
        (TopUpRule("serious_illness", "fixed", D("100")), Member(serious_illness=True), {}, True),
        (TopUpRule("minor", "fixed", D("100")), Member(age=17), {}, True),
        (TopUpRule("minor", "fixed", D("100")), Member(age=18), {}, False),
        (TopUpRule("student", "fixed", D("100")), Member(age=19, student=True), {}, True),
        (TopUpRule("single_parent", "fixed", D("100")), Member(), {"single_parent": True}, True),
        (TopUpRule("one_person", "fixed", D("100")), Member(), {}, True),
    ],
)
def test_each_top_up_category(rule, member, household_options, applies):
    policy = Policy(dibao_standard=D("1000"), topups=(rule,))
    amount = rules.dibao(policy, family(member, **household_options)).amount
    assert amount == (D("1100.00") if applies else D("1000.00"))


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [(Rounding.FEN, D("1000.50")), (Rounding.YUAN, D("1001.00")), (Rounding.YUAN_UP, D("1001.00"))],
)
def test_rounding_rule(rounding, expected):
    policy = Policy(dibao_standard=D("1000.50"), rounding=rounding)
    assert rules.dibao(policy, family(Member())).amount == expected


def test_rounding_up_takes_any_fen_to_the_next_yuan():
    policy = Policy(dibao_standard=D("1000.01"), rounding=Rounding.YUAN_UP)
    assert rules.dibao(policy, family(Member())).amount == D("1001.00")


@pytest.mark.parametrize(
    ("failures", "level"),
    [(0, CareLevel.SELF), (1, CareLevel.PARTIAL), (3, CareLevel.PARTIAL), (4, CareLevel.FULL), (6, CareLevel.FULL)],
)
def test_care_level_from_the_six_activities(failures, level):
    assert rules.care_level(failures) == level


def test_care_level_refuses_impossible_counts():
    with pytest.raises(ValueError):
        rules.care_level(7)


NANTONG_CARE = {
    (CareForm.DISPERSED, CareLevel.FULL): D("0.4"),
    (CareForm.DISPERSED, CareLevel.PARTIAL): D("0.2"),
    (CareForm.DISPERSED, CareLevel.SELF): D("0.1"),
    (CareForm.CENTRALISED, CareLevel.FULL): D("0.5"),
    (CareForm.CENTRALISED, CareLevel.PARTIAL): D("0.3"),
    (CareForm.CENTRALISED, CareLevel.SELF): D("0.15"),
}


@pytest.mark.parametrize(
    ("policy_options", "failures", "form", "expected"),
    [
        # Nantong: standard 780, basic 1.3 × 780 = 1,014, care 40/20/10% of the standard at home.
        ({}, 5, CareForm.DISPERSED, D("1326.00")),  # 1,014 + 312
        ({}, 2, CareForm.DISPERSED, D("1170.00")),  # 1,014 + 156
        ({}, 0, CareForm.DISPERSED, D("1092.00")),  # 1,014 + 78
        ({}, 5, CareForm.CENTRALISED, D("1404.00")),  # 1,014 + 390
        ({"tekun_basic_kind": "fixed", "tekun_basic_value": D("1200")}, 2, CareForm.DISPERSED, D("1356.00")),
        ({"care_basis": "wage_share", "minimum_wage": D("2000")}, 6, CareForm.DISPERSED, D("1814.00")),  # + 800
    ],
)
def test_tekun_basic_plus_care(policy_options, failures, form, expected):
    policy = Policy(dibao_standard=D("780"), care=NANTONG_CARE, **policy_options)
    assert rules.tekun(policy, Member(age=70), failures=failures, form=form).amount == expected


def test_tekun_fixed_care_sums():
    policy = Policy(dibao_standard=D("780"), care_basis="fixed", care={(CareForm.DISPERSED, CareLevel.FULL): D("500")})
    quote = rules.tekun(policy, Member(age=70), failures=4)
    assert quote.amount == D("1514.00")
    assert any("500.00" in line.text for line in quote.lines)


@pytest.mark.parametrize(
    ("per_capita", "eligible"),
    [("1099", False), ("1100", True), ("1649", True), ("1650", False)],
)
def test_edge_band(per_capita, eligible):
    quote = rules.edge(ZHONGSHAN, family(adult(per_capita), adult(per_capita)))
    assert quote.eligible is eligible and quote.amount == D("0.00")


@pytest.mark.parametrize(
    ("wages", "spending", "eligible"),
    [("3000", "1900", True), ("3000", "1700", False), ("5000", "4000", False)],
)
def test_rigid_expenditure_family(wages, spending, eligible):
    policy = Policy(dibao_standard=D("1100"), disposable_income_annual=D("60000"))  # 5,000 a month
    household = family(adult(wages), rigid_expenditure=D(spending))
    assert rules.rigid(policy, household).eligible is eligible


@pytest.mark.parametrize(
    ("months", "amount", "approval"),
    [
        (1, D("1100.00"), Approval.STREET),
        (2, D("2200.00"), Approval.STREET),
        (3, D("3300.00"), Approval.DISTRICT),
        (12, D("6600.00"), Approval.DISTRICT),  # capped at 6 months
    ],
)
def test_temporary_aid_bands_and_who_approves(months, amount, approval):
    quote = rules.temporary_aid(ZHONGSHAN, family(adult()), months=months)
    assert (quote.amount, quote.approval) == (amount, approval)


def test_temporary_aid_above_the_district_limit_is_case_by_case():
    policy = replace(ZHONGSHAN, temp_aid_max_months=D("24"), temp_aid_district_limit=D("20000"))
    assert rules.temporary_aid(policy, family(adult()), months=20).approval == Approval.CASE_BY_CASE


def test_expenditure_type_aid_needs_income_below_disposable_income():
    policy = replace(ZHONGSHAN, disposable_income_annual=D("60000"))
    poor = rules.temporary_aid(policy, family(adult("3000")), months=2, programme=Programme.TEMP_EXPENDITURE)
    rich = rules.temporary_aid(policy, family(adult("6000")), months=2, programme=Programme.TEMP_EXPENDITURE)
    assert poor.eligible and poor.amount == D("2200.00")
    assert not rich.eligible and rich.amount == D("0.00")


def test_every_quote_line_with_an_amount_adds_up_to_the_explanation():
    policy = replace(ZHONGSHAN, topups=(TopUpRule("minor", "percent", D("40")),))
    quote = rules.dibao(policy, family(adult("1400"), adult("700"), Member(age=10)))
    assert quote.lines[-1].amount == quote.amount


@pytest.mark.parametrize(
    ("assets", "eligible"),
    [
        (rules.Assets(financial=D("52800")), True),  # 24 months × 1,100 × 2 people
        (rules.Assets(financial=D("52800.01")), False),
        (rules.Assets(homes=1), True),
        (rules.Assets(homes=2), False),
        (rules.Assets(vehicles=1), False),
        (rules.Assets(businesses=1), False),
    ],
)
def test_asset_limits(assets, eligible):
    quote = rules.dibao(ZHONGSHAN, family(adult("500"), adult("0"), assets=assets))
    assert quote.eligible is eligible


@pytest.mark.parametrize("programme", list(Programme))
def test_every_explanation_can_be_stored_as_json(programme):
    import json

    policy = replace(ZHONGSHAN, disposable_income_annual=D("60000"), topups=TOPUPS, floor_share=D("0.2"))
    household = family(Member(name="甲", age=82, disability_grade=1), adult("300"), rigid_expenditure=D("500"))
    quote = rules.quote(programme, policy, household, failures=4, months=2)
    json.dumps([{"text": line.text, "amount": str(line.amount)} for line in quote.lines])

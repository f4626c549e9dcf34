"""Benefit rules (DOMAIN.md): pure calculation, no database. Every amount comes with explanation lines a
caseworker can read to the family and print on the notice.

Money is Decimal yuan. Intermediate sums are exact; the final amount is rounded once, by the policy's rule.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from django.utils.translation import gettext as _

from .programmes import (
    EXCLUDED_INCOME,
    Approval,
    BasicKind,
    CareBasis,
    CareForm,
    CareLevel,
    IncomeKind,
    Programme,
    Rounding,
    TopUpCategory,
    TopUpKind,
    TopUpMode,
)

ZERO = Decimal("0")
HUNDRED = Decimal("100")
MONTHS_PER_YEAR = Decimal("12")


# ---------------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class TopUpRule:
    category: str
    kind: str  # TopUpKind
    value: Decimal  # percent of the standard, or yuan
    min_age: int | None = None  # for the elderly bands


@dataclass(frozen=True)
class Policy:
    """The parameters in force for one region, area and date (see relief.models.ReliefPolicy)."""

    dibao_standard: Decimal
    rounding: str = Rounding.FEN
    floor_share: Decimal | None = None  # at least this share of the standard per covered member
    topup_mode: str = TopUpMode.HIGHEST
    topups: tuple[TopUpRule, ...] = ()
    tekun_basic_kind: str = BasicKind.MULTIPLE
    tekun_basic_value: Decimal = Decimal("1.3")
    care_basis: str = CareBasis.DIBAO_SHARE
    minimum_wage: Decimal | None = None
    care: dict = field(default_factory=dict)  # (CareForm, CareLevel) -> share or yuan
    edge_multiplier: Decimal = Decimal("1.5")
    asset_months: Decimal = Decimal("24")  # financial assets at most this many months of standard per person
    max_homes: int = 1
    disposable_income_annual: Decimal | None = None
    rigid_share: Decimal = Decimal("0.6")
    temp_aid_max_months: Decimal = Decimal("6")
    temp_aid_street_limit: Decimal = Decimal("3000")
    temp_aid_district_limit: Decimal = Decimal("20000")


@dataclass(frozen=True)
class Income:
    kind: str  # IncomeKind
    amount: Decimal  # monthly, yuan


@dataclass(frozen=True)
class Member:
    name: str = ""
    age: int = 30
    incomes: tuple[Income, ...] = ()
    disability_grade: int | None = None
    serious_illness: bool = False
    student: bool = False
    covered: bool = True  # False: lives in the household but is not covered (单人户施保 covers one person)


@dataclass(frozen=True)
class Assets:
    financial: Decimal = ZERO  # savings, deposits, shares …
    homes: int = 0
    vehicles: int = 0
    businesses: int = 0


@dataclass(frozen=True)
class Household:
    members: tuple[Member, ...]
    single_parent: bool = False
    rigid_deduction: Decimal = ZERO  # monthly costs of illness, disability or going to work, deductible
    rigid_expenditure: Decimal = ZERO  # monthly rigid spending (medical, education, rehabilitation …)
    assets: Assets | None = None  # None: not declared, not checked (a quote before any application)


# --------------------------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Line:
    text: str
    amount: Decimal | None = None


@dataclass(frozen=True)
class Basis:
    """The amount as a function of the standard S, so a new standard can recompute it without the household:
    round(max(members × S − income, floor_share × members × S, 0) + share × S + fixed)."""

    members: int = 0
    income: Decimal = ZERO
    floor_share: Decimal | None = None
    share: Decimal = ZERO
    fixed: Decimal = ZERO

    def amount(self, standard, rounding):
        gap = max(self.members * standard - self.income, ZERO)
        if self.floor_share:
            gap = max(gap, self.floor_share * self.members * standard)
        return round_money(gap + self.share * standard + self.fixed, rounding)


@dataclass(frozen=True)
class Quote:
    programme: str
    eligible: bool
    amount: Decimal
    lines: tuple[Line, ...]
    approval: str | None = None  # temporary aid: who may approve this amount
    basis: Basis | None = None  # monthly cash benefits (dibao, 特困): how the amount follows the standard


def yuan(amount):
    return f"{amount:,.2f}"


def percent(share):
    return f"{(share * HUNDRED).normalize():f}%"


def round_money(amount, rule):
    if rule == Rounding.YUAN:
        return amount.quantize(Decimal("1"), ROUND_HALF_UP).quantize(Decimal("0.01"))
    if rule == Rounding.YUAN_UP:
        return amount.quantize(Decimal("1"), ROUND_UP).quantize(Decimal("0.01"))
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _finish(programme, policy, amount, lines, *, eligible=True, approval=None, basis=None):
    rounded = round_money(amount, policy.rounding) if eligible else ZERO.quantize(Decimal("0.01"))
    if eligible and rounded != amount:
        lines.append(
            Line(
                _("Rounded %(rule)s: %(amount)s yuan")
                % {"rule": Rounding(policy.rounding).label, "amount": yuan(rounded)},
                rounded,
            )
        )
    return Quote(programme, eligible, rounded, tuple(lines), approval, basis if eligible else None)


# ---------------------------------------------------------------------------------------------- income


def counted_income(household, lines):
    """Monthly household income of the covered members, without the kinds the rules exclude, less the
    deductible rigid costs (never below zero)."""
    counted = excluded = ZERO
    for member in household.members:
        if not member.covered:
            continue
        for income in member.incomes:
            if income.kind in EXCLUDED_INCOME:
                excluded += income.amount
            else:
                counted += income.amount
    lines.append(Line(_("Household income counted: %(amount)s yuan a month") % {"amount": yuan(counted)}, counted))
    if excluded:
        lines.append(
            Line(
                _("Not counted as income (veterans' pensions, rewards, scholarships, basic pension …): %(amount)s yuan")
                % {"amount": yuan(excluded)},
                excluded,
            )
        )
    if household.rigid_deduction:
        deduction = min(household.rigid_deduction, counted)
        counted -= deduction
        lines.append(
            Line(
                _("Less rigid costs of illness, disability or work: %(amount)s yuan, leaving %(left)s yuan")
                % {"amount": yuan(deduction), "left": yuan(counted)},
                -deduction,
            )
        )
    return counted


def assets_within_limits(policy, household, lines):
    """Local asset limits: financial assets ≤ N months of the standard per person, at most one home, no
    vehicle, no business. Returns True when within them (or when nothing was declared)."""
    assets = household.assets
    if assets is None:
        return True
    n = len(covered(household))
    limit = policy.dibao_standard * policy.asset_months * n
    problems = []
    if assets.financial > limit:
        problems.append(
            _("financial assets %(amount)s yuan exceed %(limit)s yuan (%(months)s months of the standard per person)")
            % {"amount": yuan(assets.financial), "limit": yuan(limit), "months": f"{policy.asset_months.normalize():f}"}
        )
    if assets.homes > policy.max_homes:
        problems.append(_("%(count)d homes (at most %(max)d)") % {"count": assets.homes, "max": policy.max_homes})
    if assets.vehicles:
        problems.append(_("a motor vehicle"))
    if assets.businesses:
        problems.append(_("a business"))
    if problems:
        lines.append(Line(_("Assets above the limits: %(problems)s") % {"problems": "; ".join(problems)}))
        return False
    lines.append(Line(_("Assets within the limits")))
    return True


def covered(household):
    return [m for m in household.members if m.covered]


def per_capita(total, count):
    return (total / count).quantize(Decimal("0.01"), ROUND_HALF_UP) if count else ZERO


# ------------------------------------------------------------------------------------------------ dibao


def _topups_for(policy, household, member, people):
    """Top-ups (分类施保) that apply to one member, as (label, yuan)."""
    found = []
    for rule in policy.topups:
        applies = {
            TopUpCategory.ELDERLY: rule.min_age is not None and member.age >= rule.min_age,
            TopUpCategory.SEVERE_DISABILITY: member.disability_grade in (1, 2),
            TopUpCategory.SERIOUS_ILLNESS: member.serious_illness,
            TopUpCategory.MINOR: member.age < 18,
            TopUpCategory.STUDENT: member.student,
            TopUpCategory.SINGLE_PARENT: household.single_parent,
            TopUpCategory.ONE_PERSON: people == 1,
        }.get(rule.category, False)
        if not applies:
            continue
        if rule.kind == TopUpKind.PERCENT:
            value = policy.dibao_standard * rule.value / HUNDRED
            how = _("%(percent)s of the standard") % {"percent": f"{rule.value.normalize():f}%"}
        else:
            value, how = rule.value, _("fixed sum")
        label = TopUpCategory(rule.category).label
        if rule.category == TopUpCategory.ELDERLY:
            label = _("Aged %(age)d or over") % {"age": rule.min_age}
        found.append((_("%(label)s, %(how)s") % {"label": label, "how": how}, value, rule))
    return found


def dibao(policy, household):
    lines = []
    people = covered(household)
    n = len(people)
    standard = policy.dibao_standard
    lines.append(
        Line(
            _("Standard %(standard)s yuan × %(n)d covered members = %(total)s yuan")
            % {"standard": yuan(standard), "n": n, "total": yuan(standard * n)},
            standard * n,
        )
    )
    income = counted_income(household, lines)
    if n == 0 or per_capita(income, n) >= standard:
        lines.append(
            Line(
                _("Income per person %(income)s yuan is not below the standard %(standard)s yuan: not eligible")
                % {"income": yuan(per_capita(income, n)), "standard": yuan(standard)}
            )
        )
        return _finish(Programme.DIBAO, policy, ZERO, lines, eligible=False)
    if not assets_within_limits(policy, household, lines):
        return _finish(Programme.DIBAO, policy, ZERO, lines, eligible=False)
    # Standard × members − household income, not (standard − per-capita income) × members: no rounding of
    # the per-capita figure creeps in.
    gap = standard * n - income
    lines.append(
        Line(
            _("Gap: %(total)s − %(income)s = %(gap)s yuan")
            % {"total": yuan(standard * n), "income": yuan(income), "gap": yuan(gap)},
            gap,
        )
    )
    amount = gap
    if policy.floor_share:
        floor = standard * policy.floor_share * n
        if floor > gap:
            amount = floor
            lines.append(
                Line(
                    _("Raised to the floor of %(share)s of the standard per member: %(amount)s yuan")
                    % {"share": percent(policy.floor_share), "amount": yuan(floor)},
                    floor,
                )
            )
    share, fixed = ZERO, ZERO
    for member in people:
        found = _topups_for(policy, household, member, n)
        if not found:
            continue
        if policy.topup_mode == TopUpMode.HIGHEST:
            found = [max(found, key=lambda item: item[1])]
        for label, value, rule in found:
            amount += value
            if rule.kind == TopUpKind.PERCENT:
                share += rule.value / HUNDRED
            else:
                fixed += value
            who = member.name or _("a member")
            lines.append(
                Line(
                    _("Top-up for %(who)s (%(label)s): %(amount)s yuan")
                    % {"who": who, "label": label, "amount": yuan(value)},
                    value,
                )
            )
    lines.append(Line(_("Monthly dibao: %(amount)s yuan") % {"amount": yuan(amount)}, amount))
    basis = Basis(members=n, income=income, floor_share=policy.floor_share, share=share, fixed=fixed)
    return _finish(Programme.DIBAO, policy, amount, lines, basis=basis)


# ------------------------------------------------------------------------------------------------ 特困


def care_level(failures):
    """Six activities (eating, dressing, bed transfer, toileting, walking indoors, bathing): the number a
    person cannot do gives the level."""
    if not 0 <= failures <= 6:
        raise ValueError(failures)
    if failures == 0:
        return CareLevel.SELF
    return CareLevel.PARTIAL if failures <= 3 else CareLevel.FULL


def tekun(policy, person, *, failures, form=CareForm.DISPERSED):
    lines = []
    standard = policy.dibao_standard
    share, fixed = ZERO, ZERO
    if policy.tekun_basic_kind == BasicKind.MULTIPLE:
        basic = standard * policy.tekun_basic_value
        share += policy.tekun_basic_value
        lines.append(
            Line(
                _("Basic living: %(multiple)s × dibao standard %(standard)s = %(amount)s yuan")
                % {
                    "multiple": f"{policy.tekun_basic_value.normalize():f}",
                    "standard": yuan(standard),
                    "amount": yuan(basic),
                },
                basic,
            )
        )
    else:
        basic = policy.tekun_basic_value
        fixed += basic
        lines.append(Line(_("Basic living: fixed %(amount)s yuan") % {"amount": yuan(basic)}, basic))
    level = care_level(failures)
    value = policy.care.get((form, level), ZERO)
    if policy.care_basis == CareBasis.DIBAO_SHARE:
        care, base = standard * value, _("of the dibao standard")
    elif policy.care_basis == CareBasis.WAGE_SHARE:
        care, base = (policy.minimum_wage or ZERO) * value, _("of the minimum wage")
    else:
        care, base = value, ""
    if policy.care_basis == CareBasis.DIBAO_SHARE:
        share += value
    else:
        fixed += care
    how = f"{percent(value)} {base}" if base else _("fixed sum")
    lines.append(
        Line(
            _("Care (%(level)s, %(form)s; %(failures)d of 6 daily activities not possible): %(how)s = %(amount)s yuan")
            % {
                "level": CareLevel(level).label,
                "form": CareForm(form).label,
                "failures": failures,
                "how": how,
                "amount": yuan(care),
            },
            care,
        )
    )
    amount = basic + care
    lines.append(Line(_("Monthly support: %(amount)s yuan") % {"amount": yuan(amount)}, amount))
    return _finish(Programme.TEKUN, policy, amount, lines, basis=Basis(share=share, fixed=fixed))


# ------------------------------------------------------------------------------------- edge and rigid


def edge(policy, household):
    """低保边缘: not eligible for dibao, income per person below multiplier × standard. Targeted aid, no cash."""
    lines = []
    n = len(covered(household))
    income = per_capita(counted_income(household, lines), n)
    threshold = policy.dibao_standard * policy.edge_multiplier
    lines.append(
        Line(
            _("Income per person %(income)s yuan; edge band %(standard)s to %(threshold)s yuan (%(m)s × standard)")
            % {
                "income": yuan(income),
                "standard": yuan(policy.dibao_standard),
                "threshold": yuan(threshold),
                "m": f"{policy.edge_multiplier.normalize():f}",
            }
        )
    )
    eligible = n > 0 and policy.dibao_standard <= income < threshold and assets_within_limits(policy, household, lines)
    if income < policy.dibao_standard:
        lines.append(Line(_("Below the dibao standard: apply for dibao instead")))
    lines.append(Line(_("Eligible as a low-income edge family") if eligible else _("Not in the edge band")))
    return Quote(Programme.EDGE, eligible, ZERO.quantize(Decimal("0.01")), tuple(lines))


def rigid(policy, household):
    """刚性支出困难: income per person below last year's per-capita disposable income, and rigid spending over
    the local share of income."""
    lines = []
    n = len(covered(household))
    total = counted_income(household, lines)
    income = per_capita(total, n)
    limit = (policy.disposable_income_annual or ZERO) / MONTHS_PER_YEAR
    spending = household.rigid_expenditure
    share_limit = total * policy.rigid_share
    lines.append(
        Line(
            _("Income per person %(income)s yuan a month; limit (last year's disposable income ÷ 12) %(limit)s yuan")
            % {"income": yuan(income), "limit": yuan(limit)}
        )
    )
    lines.append(
        Line(
            _("Rigid spending %(spending)s yuan a month against %(share)s of income, %(limit)s yuan")
            % {"spending": yuan(spending), "share": percent(policy.rigid_share), "limit": yuan(share_limit)}
        )
    )
    eligible = n > 0 and income < limit and spending > share_limit
    lines.append(Line(_("Eligible as a rigid-expenditure hardship family") if eligible else _("Not eligible")))
    return Quote(Programme.RIGID, eligible, ZERO.quantize(Decimal("0.01")), tuple(lines))


# --------------------------------------------------------------------------------------- temporary aid


def approval_level(policy, amount):
    if amount <= policy.temp_aid_street_limit:
        return Approval.STREET
    if amount <= policy.temp_aid_district_limit:
        return Approval.DISTRICT
    return Approval.CASE_BY_CASE


def temporary_aid(policy, household, *, months, programme=Programme.TEMP_EMERGENCY):
    """Aid of `months` × the dibao standard (capped); who may approve follows from the amount."""
    lines = []
    months = Decimal(months)
    if programme == Programme.TEMP_EXPENDITURE:
        n = len(covered(household))
        income = per_capita(counted_income(household, lines), n)
        limit = (policy.disposable_income_annual or ZERO) / MONTHS_PER_YEAR
        if n == 0 or income >= limit:
            lines.append(
                Line(
                    _("Income per person %(income)s is not below %(limit)s yuan (disposable income ÷ 12): not eligible")
                    % {"income": yuan(income), "limit": yuan(limit)}
                )
            )
            return _finish(programme, policy, ZERO, lines, eligible=False)
    if months > policy.temp_aid_max_months:
        lines.append(
            Line(
                _("Limited to %(max)s months of the standard") % {"max": f"{policy.temp_aid_max_months.normalize():f}"}
            )
        )
        months = policy.temp_aid_max_months
    amount = policy.dibao_standard * months
    lines.append(
        Line(
            _("%(months)s months × standard %(standard)s = %(amount)s yuan")
            % {"months": f"{months.normalize():f}", "standard": yuan(policy.dibao_standard), "amount": yuan(amount)},
            amount,
        )
    )
    level = approval_level(policy, amount)
    lines.append(Line(str(Approval(level).label)))
    if programme == Programme.TEMP_EMERGENCY and level == Approval.STREET:
        lines.append(Line(_("The street may pay first and complete the paperwork within 5 working days")))
    return _finish(programme, policy, amount, lines, approval=level)


def quote(programme, policy, household, **options):
    """One entry point for the quote API and the workflow, so both compute the same amounts."""
    if programme == Programme.DIBAO:
        return dibao(policy, household)
    if programme == Programme.TEKUN:
        return tekun(
            policy,
            covered(household)[0],
            failures=options.get("failures", 0),
            form=options.get("form", CareForm.DISPERSED),
        )
    if programme == Programme.EDGE:
        return edge(policy, household)
    if programme == Programme.RIGID:
        return rigid(policy, household)
    return temporary_aid(policy, household, months=options.get("months", 1), programme=programme)


__all__ = ["Basis", "Household", "Income", "IncomeKind", "Member", "Policy", "Quote", "TopUpRule", "quote"]

"""Relief programmes and income kinds (DOMAIN.md). Plain choices, no database: the rules use them too."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Programme(models.TextChoices):
    DIBAO = "dibao", _("Minimum living guarantee (dibao)")
    TEKUN = "tekun", _("Extreme-poverty support (特困)")
    EDGE = "edge", _("Low-income edge family (低保边缘)")
    RIGID = "rigid", _("Rigid-expenditure hardship family (刚性支出困难)")
    TEMP_EMERGENCY = "temp_emergency", _("Temporary aid, emergency (急难型)")
    TEMP_EXPENDITURE = "temp_expenditure", _("Temporary aid, expenditure (支出型)")
    # Granted by child protection (childcare), paid through the same monthly batches.
    CHILD_ALLOWANCE = "child_allowance", _("Basic living allowance for children (孤儿、事实无人抚养儿童)")


# The programmes families apply for through relief's own procedure.
APPLIED = tuple(p for p in Programme if p != Programme.CHILD_ALLOWANCE)
APPLIED_CHOICES = [(p.value, p.label) for p in APPLIED]


# One person may be on at most one of these at a time.
EXCLUSIVE = frozenset({Programme.DIBAO, Programme.TEKUN, Programme.EDGE})
TEMPORARY = frozenset({Programme.TEMP_EMERGENCY, Programme.TEMP_EXPENDITURE})


class IncomeKind(models.TextChoices):
    WAGES = "wages", _("Wages")
    BUSINESS = "business", _("Business or farming income")
    PROPERTY = "property", _("Rent, interest and other property income")
    PENSION = "pension", _("Retirement pension")
    MAINTENANCE = "maintenance", _("Maintenance from relatives")
    OTHER = "other", _("Other income")
    # Not counted as income (DOMAIN.md):
    SPECIAL_CARE = "special_care", _("Preferential treatment and pension for veterans (优待抚恤金)")
    FAMILY_PLANNING = "family_planning", _("Family-planning reward (计生奖励扶助金)")
    SCHOLARSHIP = "scholarship", _("Scholarship")
    BRAVERY = "bravery", _("Award for bravery (见义勇为)")
    ASSISTANCE = "assistance", _("Other public assistance")
    BASIC_PENSION = "basic_pension", _("Basic pension for urban and rural residents (城乡居民基础养老金)")


EXCLUDED_INCOME = frozenset(
    {
        IncomeKind.SPECIAL_CARE,
        IncomeKind.FAMILY_PLANNING,
        IncomeKind.SCHOLARSHIP,
        IncomeKind.BRAVERY,
        IncomeKind.ASSISTANCE,
        IncomeKind.BASIC_PENSION,
    }
)


class CareForm(models.TextChoices):
    DISPERSED = "dispersed", _("Dispersed (at home, 分散供养)")
    CENTRALISED = "centralised", _("Centralised (in an institution, 集中供养)")


class CareLevel(models.TextChoices):
    SELF = "self", _("Self-sufficient (全自理)")
    PARTIAL = "partial", _("Partly dependent (半护理)")
    FULL = "full", _("Fully dependent (全护理)")


class TopUpCategory(models.TextChoices):
    ELDERLY = "elderly", _("Elderly (from the age given)")
    SEVERE_DISABILITY = "severe_disability", _("Severe disability (grade 1 or 2)")
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
    MINOR = "minor", _("Minor (under 18)")
    STUDENT = "student", _("Student")
    SINGLE_PARENT = "single_parent", _("Member of a single-parent family")
    ONE_PERSON = "one_person", _("One-person household")


class TopUpKind(models.TextChoices):
    PERCENT = "percent", _("Percentage of the standard")
    FIXED = "fixed", _("Fixed sum (yuan)")


class TopUpMode(models.TextChoices):
    HIGHEST = "highest", _("Highest one only")
    SUM = "sum", _("Sum of all that apply")


class Rounding(models.TextChoices):
    FEN = "fen", _("To the fen (0.01 yuan), half up")
    YUAN = "yuan", _("To the yuan, half up")
    YUAN_UP = "yuan_up", _("Up to the next whole yuan")


class BasicKind(models.TextChoices):
    MULTIPLE = "multiple", _("Multiple of the dibao standard")
    FIXED = "fixed", _("Fixed sum (yuan)")


class CareBasis(models.TextChoices):
    DIBAO_SHARE = "dibao_share", _("Share of the dibao standard")
    WAGE_SHARE = "wage_share", _("Share of the minimum wage")
    FIXED = "fixed", _("Fixed sum (yuan)")


class Approval(models.TextChoices):
    STREET = "street", _("Street or town may approve")
    DISTRICT = "district", _("District decides")
    CASE_BY_CASE = "case_by_case", _("Decided case by case (一事一议)")


class AssetKind(models.TextChoices):
    FINANCIAL = "financial", _("Savings, deposits and other financial assets")
    HOME = "home", pgettext_lazy("property", "Home")
    VEHICLE = "vehicle", _("Motor vehicle")
    BUSINESS = "business", _("Business or company")
    OTHER = "other", _("Other property")


class ExpenseKind(models.TextChoices):
    MEDICAL = "medical", _("Medical costs")
    DISABILITY = "disability", _("Disability rehabilitation and care")
    EDUCATION = "education", _("Education")
    WORK = "work", _("Costs of going to work")
    OTHER = "other", _("Other rigid spending")


# Rigid costs that may be deducted from income for dibao (DOMAIN.md); education counts only as rigid spending.
DEDUCTIBLE_EXPENSES = frozenset({ExpenseKind.MEDICAL, ExpenseKind.DISABILITY, ExpenseKind.WORK})


class DocumentKind(models.TextChoices):
    ID_PROOF = "id_proof", _("Identity documents")
    COMMITMENT = "commitment", _("Signed commitment and authorisation (承诺授权书)")
    DECLARATION = "declaration", _("List of family members, income and property")
    OTHER = "other", _("Other supporting document")


# The checklist: one of each before the investigation starts.
REQUIRED_DOCUMENTS = (DocumentKind.ID_PROOF, DocumentKind.COMMITMENT, DocumentKind.DECLARATION)

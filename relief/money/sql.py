"""SQL shared by the money engine, written for PostgreSQL (numeric arithmetic, exact to the fen) with the few
spellings SQLite needs for the single-machine demo."""

from decimal import Decimal

from django.db import connection

from civic.models import LEVEL_DIGITS, Household, Region, Resident
from relief.models import Adjustment, Batch, BatchLine, Entitlement, ReliefPolicy
from relief.programmes import Programme, Rounding

# Benefits paid in cash every month: the ones a standard recomputes and a batch pays.
MONTHLY_CASH = (Programme.DIBAO, Programme.TEKUN)
# Everything a monthly batch pays: relief's cash benefits and the children's allowances granted by child protection.
PAID_MONTHLY = (*MONTHLY_CASH, Programme.CHILD_ALLOWANCE)

ENTITLEMENT = Entitlement._meta.db_table
HOUSEHOLD = Household._meta.db_table
POLICY = ReliefPolicy._meta.db_table
REGION = Region._meta.db_table
ADJUSTMENT = Adjustment._meta.db_table
BATCH = Batch._meta.db_table
LINE = BatchLine._meta.db_table
RESIDENT = Resident._meta.db_table


def postgres():
    return connection.vendor == "postgresql"


def greatest(*terms):
    return f"{'GREATEST' if postgres() else 'MAX'}({', '.join(terms)})"


def least(*terms):
    return f"{'LEAST' if postgres() else 'MIN'}({', '.join(terms)})"


def ceil(term):
    if postgres():
        return f"CEIL({term})"
    return f"(CAST({term} AS INTEGER) + (({term}) > CAST({term} AS INTEGER)))"


def round_money(term, rule):
    """The policy's rounding rule (relief.rules.round_money) in SQL."""
    if rule == Rounding.YUAN:
        return f"ROUND({term}, 0)"
    if rule == Rounding.YUAN_UP:
        return ceil(term)
    return f"ROUND({term}, 2)"


def level_code(column, level):
    """The 12-digit code of the region at `level` that contains the region in `column`."""
    digits = LEVEL_DIGITS[level]
    return f"(SUBSTR({column}, 1, {digits}) || '{'0' * (12 - digits)}')"


def decimal_literal(value):
    """A Decimal from the database (never user text) as a SQL numeric literal."""
    value = Decimal(value)
    assert value.is_finite()
    return f"{value:f}"


def amount_under(standard, rule, alias="e"):
    """An entitlement's monthly amount under `standard` (a Decimal), from the basis its decision recorded
    (relief.rules.Basis), rounded by `rule`, plus the offset a review set by hand."""
    e = alias
    standard = decimal_literal(standard)
    gap = greatest(
        f"{e}.basis_members * {standard} - {e}.basis_income",
        f"COALESCE({e}.basis_floor_share, 0) * {e}.basis_members * {standard}",
        "0",
    )
    raw = f"{gap} + {e}.basis_share * {standard} + {e}.basis_fixed"
    return greatest(f"{round_money(raw, rule)} + {e}.basis_offset", "0")


def in_list(values):
    """Literal SQL list of trusted constants (choice values, never user input)."""
    assert all(str(v).replace("_", "").isalnum() for v in values)
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def run(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()

"""Effective-dated rules set per region (relief standards, meal policies, child allowance standards): the one that
applies to a place on a day is the most specific region's that has one, and there the latest already started."""

from .models import LEVEL_DIGITS


def region_and_ancestors(region_code):
    """The 12-digit codes of a region and the community, street, district, city and province above it, most specific
    first."""
    codes = []
    for level in ("community", "street", "district", "city", "province"):
        code = region_code[: LEVEL_DIGITS[level]].ljust(12, "0")
        if code not in codes:
            codes.append(code)
    return codes


def in_force(queryset, region_code, on, *, field="effective_from"):
    """The row of `queryset` (with `region` and the date `field`) in force in `region_code` on `on`, or None."""
    codes = region_and_ancestors(region_code)
    best = None
    for row in queryset.filter(region_id__in=codes, **{f"{field}__lte": on}):
        rank = (codes.index(row.region_id), -getattr(row, field).toordinal())
        if best is None or rank < best[0]:
            best = (rank, row)
    return best[1] if best else None

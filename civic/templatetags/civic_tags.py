from datetime import date

from django import template

from civic import idnumbers

register = template.Library()


@register.filter
def masked(number):
    return idnumbers.mask(number)


@register.filter
def age(birth_date):
    if not birth_date:
        return ""
    today = date.today()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


@register.simple_tag
def chart(table):
    """A table's chart as inline SVG (civic.charts)."""
    from civic import charts

    return charts.render(table.chart, table.title)


@register.filter
def cell(row, column):
    return row.get(column)


@register.filter
def figure(value, kind):
    """A dashboard figure as shown: whole numbers, yuan to the fen, percentages to one decimal, "—" for none."""
    from decimal import Decimal

    if value is None:
        return "—"
    if kind == "percent":
        return f"{Decimal(value) * 100:.1f}%"
    if kind == "money":
        return f"{Decimal(value):,.2f}"
    return f"{Decimal(value):,.0f}"

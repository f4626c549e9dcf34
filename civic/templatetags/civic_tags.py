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

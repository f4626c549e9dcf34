"""Template tags of the charity app, for other apps' pages that offer a charity step (the relief application's
"Refer to charity" link) without their views knowing charity."""

from django import template

from civic import access

register = template.Library()


@register.simple_tag
def can_refer(user):
    """Whether the user may refer families to charity: `{% can_refer user as may_refer %}`."""
    return access.can(user, "charity.refer")

"""What the council pages share: paging, the rate as a percentage, who may record, a service refusal's status."""

from django.core.paginator import Paginator
from django.http import Http404

from civic import access

PAGE_SIZE = 25


def page_of(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def percent(rate):
    """A rate (0..1 or None) as a percentage to one decimal, None when nothing is due (shown as "—")."""
    return None if rate is None else f"{rate * 100:.1f}"


def may_record(user):
    """Pages offer the forms to those who record council business; the services check the area as well."""
    return access.can(user, "governance.record")


def refusal_status(exc):
    """The page's status for a service's ApplicationError: 404 raised as such, 403 and 409 kept, the rest 400."""
    if exc.status == 404:
        raise Http404 from None
    return exc.status if exc.status in (403, 409) else 400

"""What the monitoring pages share: paging and a service refusal's status."""

from django.core.paginator import Paginator

from civic import access

PAGE_SIZE = 50


def page_of(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def may_work(user):
    """Pages offer the task forms to those who handle warnings; the services check the area as well."""
    return access.can(user, "monitoring.work")

"""Filters of the charity API's lists. They narrow what the selectors already scoped to the caller's area: a
region outside it, or an unknown code, gives an empty list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy

from charity.models import (
    Fund,
    Grade,
    Organisation,
    OrganisationKind,
    Pairing,
    PairingStatus,
    PairingTarget,
    Project,
    ProjectCategory,
    ProjectStatus,
    Referral,
    ReferralChannel,
    ReferralStatus,
)
from civic.models import Region


def in_region(queryset, field, code):
    """Rows whose region (`field`, a region code) lies in the region with this code; none for an unknown code."""
    region = Region.objects.filter(code=code).first()
    return queryset.filter(**{f"{field}__startswith": region.prefix}) if region else queryset.none()


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    grade = django_filters.ChoiceFilter(choices=Grade.choices)
    region = django_filters.CharFilter(
        method="filter_region",
        help_text=gettext_lazy("A region's 12-digit code: the organisations registered in it or below it."),
    )
    q = django_filters.CharFilter(
        method="filter_q", help_text=gettext_lazy("Part of the name or of the unified social credit code.")
    )

    class Meta:
        model = Organisation
        fields = ["kind", "grade", "region", "q"]

    def filter_region(self, queryset, name, value):
        return in_region(queryset, "region__code", value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        code = value.replace(" ", "").upper()
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__contains=code))


class FundFilter(django_filters.FilterSet):
    organisation = django_filters.NumberFilter(
        field_name="organisation_id", help_text=gettext_lazy("An organisation's id: its funds.")
    )
    region = django_filters.CharFilter(
        method="filter_region",
        help_text=gettext_lazy("A region's 12-digit code: the funds of organisations registered in it or below it."),
    )

    class Meta:
        model = Fund
        fields = ["organisation", "region"]

    def filter_region(self, queryset, name, value):
        return in_region(queryset, "organisation__region__code", value)


class ProjectFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=ProjectCategory.choices)
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    region = django_filters.CharFilter(
        method="filter_region", help_text=gettext_lazy("A region's 12-digit code: the projects running in it.")
    )

    class Meta:
        model = Project
        fields = ["category", "status", "region"]

    def filter_region(self, queryset, name, value):
        return in_region(queryset, "region__code", value)


class PairingFilter(django_filters.FilterSet):
    target = django_filters.ChoiceFilter(choices=PairingTarget.choices)
    status = django_filters.ChoiceFilter(choices=PairingStatus.choices)
    region = django_filters.CharFilter(
        method="filter_region",
        help_text=gettext_lazy("A region's 12-digit code: the pairings with its streets and households."),
    )

    class Meta:
        model = Pairing
        fields = ["target", "status", "region"]

    def filter_region(self, queryset, name, value):
        return in_region(queryset, "region__code", value)


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)
    channel = django_filters.ChoiceFilter(choices=ReferralChannel.choices)
    household = django_filters.NumberFilter(field_name="household_id", help_text=gettext_lazy("A household's id."))

    class Meta:
        model = Referral
        fields = ["status", "channel", "household"]

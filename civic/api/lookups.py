"""Small pieces every app's API views share: validate input, fetch one scoped row, narrow to a region."""

from rest_framework.exceptions import NotFound

from civic.models import Region


def validated(serializer_class, data, **context):
    """The input serializer's validated data; a 400 in the one error shape otherwise."""
    serializer = serializer_class(data=data, context=context)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def one_or_404(queryset, pk):
    """The row, or 404 when it does not exist or the principal may not see it (the queryset is scoped)."""
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


def in_region(queryset, code):
    """Rows of the region with this code and the regions below it (none for an unknown code)."""
    region = Region.objects.filter(code=code).first()
    return queryset.filter(region__code__startswith=region.prefix) if region else queryset.none()

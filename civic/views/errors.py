"""Error pages: API paths answer in the API's one error shape, pages with the portal's templates."""

from django.views import defaults

from civic.api import errors as api_errors


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return api_errors.not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return api_errors.server_error(request)
    return defaults.server_error(request)

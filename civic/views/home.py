from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civic import access
from civic.roles import Role


@login_required
def home(request):
    user = request.user
    caps = access.capabilities(user)
    context = {
        "role_label": Role(user.role).label if user.role in Role.values else "",
        "region_path": user.region.path_names() if user.region_id else [],
        "duties": [access.CAPABILITIES[c] for c in access.CAPABILITIES if c in caps],
    }
    return render(request, "civic/home.html", context)


@never_cache
@require_GET
def healthz(request):
    """Liveness and database reachability, for the container health check and load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

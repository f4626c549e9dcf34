"""Partner tokens sent as `Authorization: Bearer <token>`; only the token's hash is stored."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from civic.models import ApiToken, hash_token


class PartnerPrincipal:
    """Stands in for request.user when a partner system calls: it has a region and scopes, no role."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    role = "partner"

    def __init__(self, token):
        self.token = token
        self.pk = None
        self.region = token.region
        self.scopes = frozenset(token.scopes)
        self.username = f"partner:{token.pk}"

    def __str__(self):
        return self.token.name


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if parts[0].lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be 'Bearer <token>'."))
        token = ApiToken.objects.active().select_related("region").filter(key_hash=hash_token(parts[1])).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown or has been revoked."))
        now = timezone.now()
        # Record use at most once a minute so busy terminals do not write on every request.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return PartnerPrincipal(token), token

    def authenticate_header(self, request):
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Partner token issued by create_partner."}

"""Personal access tokens for the API: how they are made, named and checked.

django-rest-knox does the hashing and the checking (a deactivated account's tokens stop working
at once, because knox refuses inactive users); accounts.ApiToken adds a name and the last use.
"""

import datetime

from django import forms
from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication

from accounts.models import ApiToken, User

# Writing "last used" on every request would turn each read into a write; a minute is precise
# enough for a person deciding which token to revoke.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)

EXPIRY_CHOICES = [
    ("", "Never (until you revoke it)"),
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
]


def create_token(
    user: User, name: str, expires_in: datetime.timedelta | None = None
) -> tuple[ApiToken, str]:
    """A new token for the person, and its secret: the only time the secret is known."""
    return ApiToken.objects.create(user=user, expiry=expires_in, name=name)


class BearerTokenAuthentication(TokenAuthentication):
    """Knox's token check (`Authorization: Bearer <token>`), noting when each token was used."""

    def validate_user(self, auth_token: ApiToken) -> tuple[User, ApiToken]:
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used is None or now - token.last_used >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return user, token


class BearerTokenScheme(KnoxTokenScheme):
    """Documents the token as an HTTP bearer scheme in the OpenAPI schema."""

    target_class = "accounts.tokens.BearerTokenAuthentication"
    name = "bearerToken"


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        help_text="What will use it, for example “Phone shortcut”.",
        max_length=60,
    )
    expires = forms.TypedChoiceField(
        label="Expires",
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the token a name.")
        return name

    def expires_in(self) -> datetime.timedelta | None:
        days = self.cleaned_data["expires"]
        return None if days is None else datetime.timedelta(days=days)

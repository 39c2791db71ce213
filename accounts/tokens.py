"""Personal access tokens for the API: how they are made, named and checked.

django-rest-knox does the hashing and the checking (a deactivated account's tokens stop working
at once, because knox refuses inactive users); accounts.ApiToken adds a name and the last use.
Every token expires after the time its owner chose (90 days unless they chose otherwise; "never"
only when they say so), and changing or resetting the password or signing out everywhere else
revokes them all (accounts.signals, accounts.views.end_other_sessions).
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

DEFAULT_EXPIRY_DAYS = 90
DEFAULT_EXPIRY = datetime.timedelta(days=DEFAULT_EXPIRY_DAYS)
NEVER = "never"
EXPIRY_CHOICES = [
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
    (NEVER, "Never (it works until you revoke it)"),
]


def create_token(
    user: User, name: str, expires_in: datetime.timedelta | None = DEFAULT_EXPIRY
) -> tuple[ApiToken, str]:
    """A new token for the person, and its secret: the only time the secret is known.
    `expires_in=None` makes a token that never expires; only pass it when the person chose so."""
    return ApiToken.objects.create(user=user, expiry=expires_in, name=name)


def revoke_all_tokens(user: User) -> int:
    """Stop every token of the person at once; how many there were."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


class BearerTokenAuthentication(TokenAuthentication):
    """Knox's token check (`Authorization: Bearer <token>`), noting when each token was used."""

    def _cleanup_token(self, auth_token: ApiToken) -> bool:
        # Knox also reads every other token of the person on each request to delete the expired
        # ones: a second query per API call. Only the token presented matters here; the others
        # stay on the tokens page, marked "Expired", until their owner revokes them.
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False

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
    error_summary_title = "No token was made"
    name = forms.CharField(
        label="Token name",
        help_text="What will use it, for example “Phone shortcut”.",
        max_length=60,
    )
    # Not required: a request without a choice gets the default, never "never".
    expires = forms.ChoiceField(
        label="Expires",
        help_text="After this the token stops working; make a new one then.",
        choices=EXPIRY_CHOICES,
        initial=str(DEFAULT_EXPIRY_DAYS),
        required=False,
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the token a name.")
        return name

    def expires_in(self) -> datetime.timedelta | None:
        """How long the token will work; None when the person chose "never"."""
        choice = self.cleaned_data["expires"]
        if choice == NEVER:
            return None
        return datetime.timedelta(days=int(choice)) if choice else DEFAULT_EXPIRY

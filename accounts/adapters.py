"""Hearth's adjustments to allauth's two-factor sign-in."""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.db import transaction

from config.encryption import decrypt, encrypt, rotate_token

FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte 0x80, base64)


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        """The QR code as inline SVG: an image from a data: URI would need a looser CSP."""
        svg = super().build_totp_svg(url)
        svg = svg[svg.index("<svg") :]
        return svg.replace(
            "<svg ", '<svg role="img" aria-label="QR code of your authenticator key" ', 1
        )

    # Authenticator-app secrets are encrypted under the same keys as notes (and rotated with
    # them by `manage.py rotate_notes_key`): a copy of the database alone cannot make codes.
    def encrypt(self, text: str) -> str:
        return encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(FERNET_PREFIX):
            return encrypted_text  # stored before secrets were encrypted
        return decrypt(encrypted_text)


def rotate_totp_secrets() -> int:
    """Re-encrypt every authenticator-app secret under the current key; how many changed."""
    rotated = 0
    with transaction.atomic():
        for authenticator in Authenticator.objects.select_for_update().filter(
            type=Authenticator.Type.TOTP
        ):
            secret = authenticator.data["secret"]
            new = rotate_token(secret) if secret.startswith(FERNET_PREFIX) else encrypt(secret)
            if new is not None:
                authenticator.data["secret"] = new
                authenticator.save(update_fields=["data"])
                rotated += 1
    return rotated

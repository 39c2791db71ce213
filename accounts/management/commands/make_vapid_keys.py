"""Make a VAPID key pair for push reminders and print it as environment settings."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def _base64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair (P-256, base64url) as WEBPUSH_VAPID_PUBLIC_KEY and "
        "WEBPUSH_VAPID_PRIVATE_KEY lines. Keep the private one secret; changing the pair "
        "stops every existing push subscription working."
    )

    def handle(self, *args, **options) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        public = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        private = key.private_numbers().private_value.to_bytes(32, "big")
        self.stdout.write(f"WEBPUSH_VAPID_PUBLIC_KEY={_base64url(public)}")
        self.stdout.write(f"WEBPUSH_VAPID_PRIVATE_KEY={_base64url(private)}")

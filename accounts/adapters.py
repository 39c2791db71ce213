"""Hearth's adjustments to allauth's two-factor sign-in."""

from allauth.mfa.adapter import DefaultMFAAdapter


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        """The QR code as inline SVG: an image from a data: URI would need a looser CSP."""
        svg = super().build_totp_svg(url)
        svg = svg[svg.index("<svg") :]
        return svg.replace(
            "<svg ", '<svg role="img" aria-label="QR code of your authenticator key" ', 1
        )

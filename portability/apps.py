from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "portability"
    verbose_name = "Export, import and deletion"

    def ready(self) -> None:
        from accounts import erasure
        from portability.deletion import delete_account

        # Moderation (accounts/admin.py) deletes an account through this.
        erasure.register(delete_account)

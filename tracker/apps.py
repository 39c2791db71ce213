from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Daily log"

    def ready(self) -> None:
        from tracker import signals  # noqa: F401  (connects the receivers)

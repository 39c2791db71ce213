from django.contrib.admin.apps import AdminConfig


class HearthAdminConfig(AdminConfig):
    """Django's admin with Hearth's own site: see config/admin.py."""

    default_site = "config.admin.HearthAdminSite"

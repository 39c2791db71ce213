from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_reminder_settings"),
    ]

    operations = [
        migrations.AlterField(
            model_name="securityevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("login", "Signed in"),
                    ("login_failed", "Failed sign-in attempt"),
                    ("logout", "Signed out"),
                    ("password_changed", "Password changed"),
                    ("password_reset", "Password reset by email"),
                    ("email_changed", "Email address changed"),
                    ("mfa_enabled", "Two-factor method added"),
                    ("mfa_disabled", "Two-factor method removed"),
                    ("recovery_codes", "New recovery codes made"),
                    ("sessions_ended", "Other sessions ended"),
                    ("export", "Data exported"),
                    ("import", "Data imported"),
                    ("token_created", "API token created"),
                    ("token_revoked", "API token revoked"),
                    ("share_link_created", "Share link made"),
                    ("share_link_revoked", "Share link revoked"),
                ],
                max_length=32,
            ),
        ),
    ]

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.account import signals as account_signals
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth import signals as auth_signals

        from accounts import signals
        from accounts.middleware import start_idle_clock

        account_signals.user_logged_in.connect(signals.on_logged_in)
        auth_signals.user_login_failed.connect(signals.on_login_failed)
        auth_signals.user_logged_out.connect(signals.on_logged_out)
        auth_signals.user_logged_in.connect(start_idle_clock)
        account_signals.password_changed.connect(signals.on_password_changed)
        account_signals.password_reset.connect(signals.on_password_reset)
        account_signals.email_changed.connect(signals.on_email_changed)
        mfa_signals.authenticator_added.connect(signals.on_authenticator_added)
        mfa_signals.authenticator_removed.connect(signals.on_authenticator_removed)
        mfa_signals.authenticator_reset.connect(signals.on_authenticator_reset)

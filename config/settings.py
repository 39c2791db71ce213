"""Hearth's only settings file.

Everything that differs between a laptop and production comes from the environment, with
defaults that are safe for development. Production (DEBUG off) refuses to start without a
SECRET_KEY, NOTES_ENCRYPTION_KEYS, a real EMAIL_BACKEND, and a shared cache (REDIS_URL) unless it
is one single process (SINGLE_PROCESS=true).
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-insecure-key-never-use-in-production"

# Free-text notes are encrypted at rest (config/encryption.py) with these Fernet keys,
# comma-separated: the first encrypts, every one decrypts. To rotate, put a new key first, run
# `manage.py rotate_notes_key`, then drop the old one. Make a key with
# `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
DEVELOPMENT_ONLY_NOTES_KEY = "aGVhcnRoLWRldmVsb3BtZW50LW9ubHktbm90ZXMtayE="
NOTES_ENCRYPTION_KEYS = env_list("NOTES_ENCRYPTION_KEYS")
if not NOTES_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("NOTES_ENCRYPTION_KEYS must be set when DEBUG is off.")
    NOTES_ENCRYPTION_KEYS = [DEVELOPMENT_ONLY_NOTES_KEY]
for _key in NOTES_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "Each NOTES_ENCRYPTION_KEYS key must be a Fernet key: 32 bytes in URL-safe base64."
        ) from None

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, entered through the site's own sign-in and only with two-factor on.
    "config.apps.HearthAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "csp",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "accounts",
    "tracker",
    "reminders",
    "sharing",
    "portability",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry these headers too.
    "csp.middleware.CSPMiddleware",
    "config.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Nothing answered to a signed-in person is kept by a browser or proxy cache.
    "config.middleware.private_when_signed_in",
    "accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A database outage answers a friendly 503 (JSON under /api/), not a traceback.
    "config.middleware_db.database_unavailable",
    # Oversized bodies answer 413 before anything reads them.
    "config.body_limit.request_body_limit",
    # A 405 gets Hearth's own page (Django has no handler405).
    "config.not_allowed.method_not_allowed_page",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.support",
            ],
        },
    },
]
FORM_RENDERER = "config.forms.HearthFormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Optional streaming replica: trends, insights and history read from it, except for a person who
# saved a moment ago (config/routers.py). Tests treat it as the primary itself.
if DATABASE_REPLICA_URL := os.environ.get("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=env_int("CONN_MAX_AGE", 60),
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
    MIDDLEWARE.append("config.routers.replica_routing")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per-person summaries are cached (and invalidated on every write). Local memory by default;
# Redis when REDIS_URL is set, so every worker shares one cache; CACHE_DISABLED=true for
# benchmarks of the uncached path.
if env_bool("CACHE_DISABLED", False):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif os.environ.get("REDIS_URL"):
    # If Redis is unreachable, pages are served from the database, only slower (config/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Each process would keep its own counts of sign-in attempts and API requests, so with
    # several workers every limit would be several times looser than it says.
    if not DEBUG and not env_bool("SINGLE_PROCESS", False):
        raise ImproperlyConfigured(
            "Set REDIS_URL when DEBUG is off, so every worker shares one cache and one count "
            "of sign-in attempts. If Hearth runs as one single process (one worker), say so "
            "with SINGLE_PROCESS=true."
        )

# Where requests come from, for every rate limit (config/client_address.py): how many proxies
# of your own stand in front of Hearth, each appending to X-Forwarded-For. 0 trusts no header.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Background jobs (large imports) run on Celery (config/celery.py), with Redis as the broker; in
# production run a worker beside the web processes: `celery -A config worker`. Without a broker
# (bin/dev on SQLite, the tests) a job runs at once, in the process that queues it.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", os.environ.get("REDIS_URL", ""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker logs through config/logging.py too, which keeps health values out of every record.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery beat (beside the workers, or `celery -A config worker --beat` on one machine) looks for
# due reminders every minute; `python manage.py run_due_jobs` does the same by hand.
CELERY_BEAT_SCHEDULE = {
    "reminders-due-jobs": {
        "task": "reminders.tasks.run_due_jobs",
        "schedule": 60.0,
        # A look that waited past the next one's turn is dropped: the next one finds the same.
        "options": {"expires": 55},
    },
    # Deletes large import files and previews left waiting past IMPORT_UPLOAD_KEEP_SECONDS.
    "portability-clean-import-uploads": {
        "task": "portability.tasks.clean_import_uploads",
        "schedule": 15 * 60.0,
        "options": {"expires": 14 * 60},
    },
    # Marks failed, and deletes the file of, an import whose worker died while it ran.
    "portability-fail-stopped-imports": {
        "task": "portability.tasks.fail_stopped_imports",
        "schedule": 10 * 60.0,
        "options": {"expires": 9 * 60},
    },
}

# Imports (portability/importing.py). A file stops at UPLOAD_MAX_BYTES while it streams in
# (config/uploads.py), so nothing past the limit is kept; it may hold up to IMPORT_MAX_DAYS days
# (about 55 years), and one of more than IMPORT_BACKGROUND_DAYS is imported by a background job.
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "config.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    # Not Django's TemporaryFileUploadHandler, which writes the file in plain to /tmp:
    "portability.upload_store.SealingUploadHandler",
]
IMPORT_MAX_DAYS = 20_000
IMPORT_BACKGROUND_DAYS = 500
# The import page alone takes files up to IMPORT_UPLOAD_MAX_BYTES (an Apple Health export.zip):
# one of another app's files larger than UPLOAD_MAX_BYTES is kept encrypted in IMPORT_UPLOAD_DIR
# (portability/upload_store.py) and read by a background job; whatever is left after
# IMPORT_UPLOAD_KEEP_SECONDS is deleted by the periodic clean-up.
IMPORT_UPLOAD_MAX_BYTES = env_int("IMPORT_UPLOAD_MAX_BYTES", 600 * 1024 * 1024)
IMPORT_UPLOAD_DIR = os.environ.get(
    "IMPORT_UPLOAD_DIR", os.path.join(tempfile.gettempdir(), "hearth-imports")
)
IMPORT_UPLOAD_KEEP_SECONDS = 6 * 60 * 60

ADMIN_URL = os.environ.get("ADMIN_URL", "admin/")
# The staff dashboard's figures (config/admin.py): counts about accounts and their logging.
ADMIN_DASHBOARD = "reminders.dashboard.figures"
# Staff reach the admin only once two-factor authentication is on for their account.
ADMIN_REQUIRE_MFA = env_bool("ADMIN_REQUIRE_MFA", True)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "tracker:log_today"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: the email address is the login; there is no username.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Mandatory verification lets sign-up answer an address already in use exactly like a new one
# (allauth then mails the owner instead of saying so). In development the link is printed by the
# console email backend; verification stays optional there unless asked for.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get(
    "ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG else "mandatory"
)
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "accounts.lockout.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Hearth] "
# Changing email or password, turning two-factor off, exporting and deleting ask for the password
# (or a passkey) again unless the person proved it within this many seconds.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("REAUTHENTICATION_TIMEOUT", 300)
# Brute-force protection (allauth, kept in the cache): failed sign-ins per address and per
# account, and the emails that sign-up and password reset send. The message never says whether
# an account exists.
ACCOUNT_RATE_LIMITS = {
    # Sign-ins from one address; the load benchmarks, whose people all come from 127.0.0.1,
    # raise it.
    "login": os.environ.get("SIGN_IN_RATE_PER_ADDRESS", "30/m/ip"),
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/ip",
    # Wrong passcodes on a share link (sharing/views.py), per address and per link.
    "share_passcode_failed": "20/h/ip,5/15m/key",
}
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False

# Two-factor sign-in (allauth.mfa): an authenticator app with recovery codes, and passkeys, which
# also sign a person in without typing a password.
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_FORMS = {"add_webauthn": "accounts.forms.AddPasskeyForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Hearth"
# Accept the code from the 30 seconds before and after too: slow typing and phone clocks drift.
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10
# Browsers only allow WebAuthn on https, or on http://localhost while developing.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# The "this device" list on the security page (allauth.usersessions). Sessions are recorded at
# sign-in; tracking every request's activity would cost writes on every page view.
USERSESSIONS_TRACK_ACTIVITY = False

# Development prints mail in the terminal. Production must name a real backend (SMTP): mail
# carries live sign-in links, which must never land in a log or a file.
CONSOLE_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
FILE_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (CONSOLE_EMAIL_BACKEND if DEBUG else "")
if not DEBUG and EMAIL_BACKEND in {"", CONSOLE_EMAIL_BACKEND, FILE_EMAIL_BACKEND}:
    raise ImproperlyConfigured(
        "Set EMAIL_BACKEND when DEBUG is off, e.g. django.core.mail.backends.smtp.EmailBackend "
        "with EMAIL_HOST: the console and file backends would write sign-in links to the log "
        "or disk."
    )
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hearth <no-reply@localhost>")
# Where the file backend (staging) writes each message, one file per message.
EMAIL_FILE_PATH = os.environ.get(
    "EMAIL_FILE_PATH", os.path.join(tempfile.gettempdir(), "hearth-mail")
)
# The address that mail sent outside a request (reminders) links to.
SITE_URL = os.environ.get(
    "SITE_URL",
    "http://127.0.0.1:8000"
    if DEBUG
    else "https://" + (ALLOWED_HOSTS or ["localhost"])[0].lstrip("."),
).rstrip("/")
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "support@localhost")
# Push reminders (accounts/push.py): offered only when both VAPID keys are set; make a pair with
# `manage.py make_vapid_keys`. The contact is a mailto: or https: address push services can use.
WEBPUSH_VAPID_PUBLIC_KEY = os.environ.get("WEBPUSH_VAPID_PUBLIC_KEY", "")
WEBPUSH_VAPID_PRIVATE_KEY = os.environ.get("WEBPUSH_VAPID_PRIVATE_KEY", "")
WEBPUSH_CONTACT = os.environ.get("WEBPUSH_CONTACT", f"mailto:{SUPPORT_EMAIL}")
# One key without the other would quietly offer no push at all: a mistake to say at start-up.
if not DEBUG and bool(WEBPUSH_VAPID_PUBLIC_KEY) != bool(WEBPUSH_VAPID_PRIVATE_KEY):
    raise ImproperlyConfigured(
        "Set both WEBPUSH_VAPID_PUBLIC_KEY and WEBPUSH_VAPID_PRIVATE_KEY (make a pair with "
        "`manage.py make_vapid_keys`), or neither to offer no push reminders."
    )
# The push services Hearth will post to (a host or a parent domain): a subscription naming any
# other address is refused, so nobody can make the server send requests where they choose.
WEBPUSH_SERVICE_HOSTS = env_list(
    "WEBPUSH_SERVICE_HOSTS",
    "fcm.googleapis.com,updates.push.services.mozilla.com,push.apple.com,notify.windows.com",
)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Security headers and https. Outside development every request is https (browsers are told to
# remember that for a year) and cookies never travel over plain http.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Messages such as "Added Methotrexate." name health details: they wait in the session, on the
# server, not in a cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe /healthz over plain http inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading binds the whole domain to https in every browser for months: the operator's choice.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Behind a proxy that terminates TLS, name the header it sets, e.g. X-Forwarded-Proto; the proxy
# must overwrite that header on every request, or anyone could claim https.
if proxy_ssl_header := os.environ.get("SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp: everything comes from Hearth itself, and no inline script or style runs. Chart data
# reaches scripts through json_script; uPlot styles elements through the CSSOM, which CSP allows.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "manifest-src": [SELF],
        "worker-src": [SELF],
    },
}
# Powerful browser features Hearth never uses are switched off (config.middleware). Passkeys
# (WebAuthn) stay allowed on Hearth's own origin.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "clipboard-read": [],
    "compute-pressure": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": [],
    "gamepad": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "identity-credentials-get": [],
    "idle-detection": [],
    "interest-cohort": [],
    "local-fonts": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "otp-credentials": [],
    "payment": [],
    "picture-in-picture": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
    "screen-wake-lock": [],
    "serial": [],
    "speaker-selection": [],
    "usb": [],
    "window-management": [],
    "xr-spatial-tracking": [],
}

# The REST API (/api/v1/, api/). Tokens come first so an unauthenticated request is
# answered 401 with `WWW-Authenticate: Bearer`; the site's own JavaScript uses the session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": [
        "config.client_address.AnonRateThrottle",
        "config.client_address.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "100/hour"),
        "user": os.environ.get("API_USER_RATE", "1000/hour"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumbers",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 100),
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.errors.HearthAutoSchema",
}
# Personal access tokens (django-rest-knox): only a hash of each secret is stored; the name and
# last use live on accounts.ApiToken. They last until revoked unless the person picks an expiry.
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's own migrations would still create its (swapped-out) table, whose foreign key to the user
# table stops the test runner from flushing the database; no migrations means no table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {"AUTH_HEADER_PREFIX": "Bearer", "TOKEN_TTL": None, "AUTO_REFRESH": False}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hearth API",
    "DESCRIPTION": "Read and write your own Hearth records. Send a personal access token from "
    "/account/tokens/ as `Authorization: Bearer <token>`. Every error answers "
    '`{"errors": {"<field or detail>": ["message", ...]}}`.',
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from this app (drf-spectacular-sidecar): the docs page contacts no other site.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# Logs never carry an email address, a health value or a note: config/logging.py redacts every
# record as it is made. Django's loggers write through the root logger's console only: its own
# mail_admins handler would email a failing request's form data, health values included.
LOGGING_CONFIG = "config.logging.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Its DEBUG records are every SQL statement with its parameters: health values.
        "django.db.backends": {"level": "INFO"},
    },
}

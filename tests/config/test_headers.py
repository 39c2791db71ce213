"""Every response carries Hearth's security headers: a strict Content-Security-Policy (nothing
from another origin, no inline script or style, no eval), a Permissions-Policy that switches off
what Hearth does not use, nosniff, a same-origin referrer and opener policy, and, in production,
https only (HSTS) with cookies that never travel over plain http."""

import json

import pytest

from tests.config.test_deploy_check import run_in_production
from tests.conftest import PASSWORD

STRICT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "manifest-src": ["'self'"],
    "worker-src": ["'self'"],
}
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "hid"]
ONE_YEAR = 365 * 24 * 60 * 60


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: sources for name, *sources in directives}


def permissions(response) -> dict[str, str]:
    """The Permissions-Policy header as {feature: allow list}, e.g. {"camera": "()"}."""
    features = (part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    return dict(features)


@pytest.fixture
def serve_static_files(settings):
    """Let WhiteNoise find files where they are written (tests run without collectstatic)."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


def page(client, user):
    return client.get("/privacy/")


def signed_in_page(client, user):
    client.force_login(user)
    return client.get("/log/")


def form_with_errors(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": "wrong"})


def api(client, user):
    client.force_login(user)
    return client.get("/api/v1/me/")


def api_refusal(client, user):
    return client.get("/api/v1/me/")


def not_found(client, user):
    return client.get("/no-such-page/")


def redirect(client, user):
    return client.get("/log/")


def static_file(client, user):
    return client.get("/static/css/hearth.css")


RESPONSES = {
    "page": (page, 200),
    "signed-in-page": (signed_in_page, 200),
    "form-with-errors": (form_with_errors, 200),
    "api": (api, 200),
    "api-refusal": (api_refusal, 401),
    "not-found": (not_found, 404),
    "redirect": (redirect, 302),
    "static-file": (static_file, 200),
}


@pytest.fixture(params=RESPONSES, ids=str)
def response(request, client, user, serve_static_files):
    fetch, status = RESPONSES[request.param]
    response = fetch(client, user)
    assert response.status_code == status
    if request.param == "static-file":
        assert response.streaming, "WhiteNoise did not serve it"
    return response


def test_every_response_carries_the_strict_content_security_policy(response):
    assert policy(response) == STRICT_POLICY


def test_no_response_allows_inline_code_or_eval(response):
    header = response["Content-Security-Policy"]

    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "unsafe-hashes" not in header


def test_every_response_denies_unused_browser_features_but_allows_passkeys(response):
    features = permissions(response)

    assert {feature: features.get(feature) for feature in DENIED_FEATURES} == dict.fromkeys(
        DENIED_FEATURES, "()"
    )
    assert features["publickey-credentials-get"] == "(self)"
    assert features["publickey-credentials-create"] == "(self)"


def test_every_response_says_nosniff_same_origin_referrer_and_opener(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_cannot_be_framed(client, user):
    assert signed_in_page(client, user)["X-Frame-Options"] == "DENY"


def test_api_docs_page_alone_also_allows_data_images_for_its_icons(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert policy(response) == {**STRICT_POLICY, "img-src": ["'self'", "data:"]}


def test_api_docs_page_has_no_inline_script_or_style(client):
    html = client.get("/api/v1/docs/").content.decode()
    script = client.get("/api/v1/docs/?script=")

    assert "<style" not in html
    assert html.count("<script") == html.count("<script src=") == 3
    assert '<script src="/api/v1/docs/?script="></script>' in html
    assert script["Content-Type"] == "application/javascript"
    assert b"SwaggerUIBundle" in script.content


def test_session_cookie_is_http_only_and_same_site_lax(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# Production: a separate process started with the environment production runs with.

READ_PRODUCTION_RESPONSES = """
import json
import django

django.setup()
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="hearth.example.org")
https = client.get("/accounts/login/", secure=True)
forwarded = client.get("/privacy/", HTTP_X_FORWARDED_PROTO="https")
plain = client.get("/privacy/")
print(json.dumps({
    "https": {"status": https.status_code, "headers": dict(https.headers)},
    "csrf_cookie": dict(https.cookies["csrftoken"]),
    "forwarded_status": forwarded.status_code,
    "plain": {"status": plain.status_code, "location": plain.get("Location")},
    "healthz_status": client.get("/healthz").status_code,
    "session_cookie": {
        "secure": settings.SESSION_COOKIE_SECURE,
        "httponly": settings.SESSION_COOKIE_HTTPONLY,
        "samesite": settings.SESSION_COOKIE_SAMESITE,
    },
}))
"""


def production_responses(**environment: str) -> dict:
    result = run_in_production(
        "-c",
        READ_PRODUCTION_RESPONSES,
        DJANGO_SETTINGS_MODULE="config.settings",
        # Templates name static files; production has them collected, this process does not.
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def production():
    return production_responses()


def test_production_tells_browsers_to_use_https_for_a_year(production):
    hsts = production["https"]["headers"]["Strict-Transport-Security"]

    assert hsts == f"max-age={ONE_YEAR}; includeSubDomains"


def test_production_redirects_plain_http_to_https(production):
    assert production["plain"] == {
        "status": 301,
        "location": "https://hearth.example.org/privacy/",
    }


def test_production_health_check_answers_over_plain_http(production):
    assert production["healthz_status"] != 301


def test_production_cookies_are_secure_http_only_and_same_site(production):
    assert production["session_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert production["csrf_cookie"]["secure"] is True
    assert production["csrf_cookie"]["samesite"] == "Lax"


def test_production_keeps_the_strict_policy_and_the_other_headers(production):
    headers = production["https"]["headers"]

    assert production["https"]["status"] == 200
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_ignores_a_forwarded_protocol_unless_told_to_trust_it(production):
    assert production["forwarded_status"] == 301


def test_production_behind_a_tls_proxy_trusts_its_header_and_can_opt_in_to_preload():
    behind_proxy = production_responses(
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto", SECURE_HSTS_PRELOAD="true"
    )

    assert behind_proxy["forwarded_status"] == 200
    hsts = behind_proxy["https"]["headers"]["Strict-Transport-Security"]
    assert hsts == f"max-age={ONE_YEAR}; includeSubDomains; preload"

"""Cross-cutting extensions: security headers, rate limits, metrics.

Every extension is created per app from ``Settings`` (tests build many apps side by side), so
there are no module-level extension objects; other modules reach them through the app.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, current_app, request
from flask_limiter import ApplicationLimit, Limiter
from flask_talisman import Talisman
from flask_talisman.talisman import DEFAULT_PERMISSIONS_POLICY
from werkzeug.middleware.proxy_fix import ProxyFix

from service.accounts.api_auth import current_user
from service.core.config import Settings
from service.core.errors import ForbiddenError, UnauthorizedError
from service.core.security import hash_token

LIMITER_KEY = "qualimatch.limiter"
#: The web UI's sign-in route (blueprint ``auth``); its POST is limited per client address.
LOGIN_ENDPOINTS = frozenset({"auth.login", "web_auth.login"})
API_PREFIX = "/api/"
UNLIMITED_PATHS = frozenset({"/api/v1/health"})

#: Strict policy: only our own origin; inline ``<script>``/``<style>`` need the request's nonce
#: (``{{ csp_nonce() }}`` in templates). Style *attributes* stay allowed: the Swagger UI sets
#: them from JavaScript and they cannot run code.
CONTENT_SECURITY_POLICY: dict[str, str | list[str]] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
NONCE_DIRECTIVES = ["script-src", "style-src"]


def init_extensions(app: Flask, settings: Settings) -> None:
    """Register the extensions on ``app``; each is configured from ``settings`` only."""
    if settings.proxy_fix_hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=settings.proxy_fix_hops,
            x_proto=settings.proxy_fix_hops,
            x_host=settings.proxy_fix_hops,
        )
    init_security_headers(app, settings)
    init_rate_limits(app, settings)
    init_api_gate(app)
    from service.core import input_guard

    input_guard.init_app(app)
    from service.core.metrics import init_metrics  # late: prometheus_client reads its env on import

    init_metrics(app)


def init_security_headers(app: Flask, settings: Settings) -> None:
    production = settings.environment == "production"
    Talisman(
        app,
        force_https=False,  # TLS ends at the load balancer; it redirects plain HTTP
        strict_transport_security=True,
        strict_transport_security_include_subdomains=False,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=NONCE_DIRECTIVES,
        referrer_policy="no-referrer",
        permissions_policy=DEFAULT_PERMISSIONS_POLICY,
        session_cookie_secure=production,
        session_cookie_http_only=True,
    )
    _nonce_swagger_templates(app)

    @app.after_request
    def _no_store_api(response: Response) -> Response:
        # API answers can hold personal data: no browser or proxy cache may keep them.
        if request.path.startswith(API_PREFIX):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _nonce_swagger_templates(app: Flask) -> None:
    """The bundled Swagger UI pages, with the request's nonce on their inline blocks."""
    from flask_openapi3.templates import openapi_html_string
    from flask_openapi3_swagger.templates import swagger_html_string

    nonce = "{{ csp_nonce() }}"
    for key, template in (
        ("SWAGGER_HTML_STRING", swagger_html_string),
        ("OPENAPI_HTML_STRING", openapi_html_string),
    ):
        patched = template.replace("<script>", f'<script nonce="{nonce}">')
        app.config.setdefault(key, patched.replace("<style>", f'<style nonce="{nonce}">'))


def init_rate_limits(app: Flask, settings: Settings) -> Limiter:
    """Limits per caller on the API, per address on sign-in and on failed token use.

    Shared through Redis when ``REDIS_URL`` is set, so all workers and hosts count together
    (production refuses to start without it, see ``service.core.config``); if Redis goes away the
    limiter keeps counting in memory instead of failing requests.
    """
    limiter = Limiter(
        key_func=client_address,
        app=None,
        application_limits=[
            ApplicationLimit(
                settings.rate_limit_api,
                key_function=api_caller,
                scope="api",
                exempt_when=_not_limited_api,
            ),
            ApplicationLimit(
                settings.rate_limit_token_failures,
                key_function=client_address,
                scope="token-failures",
                exempt_when=_valid_token_or_not_limited,
                deduct_when=lambda response: response.status_code == 401,
            ),
            ApplicationLimit(
                settings.rate_limit_login,
                key_function=client_address,
                scope="login",
                exempt_when=_not_login_attempt,
            ),
        ],
        storage_uri=settings.redis_url or "memory://",
        storage_options=_storage_options(settings),
        in_memory_fallback_enabled=True,
        headers_enabled=True,
        strategy="moving-window",
        key_prefix="qualimatch",
        enabled=settings.rate_limits_enabled,
    )
    limiter.init_app(app)
    app.extensions[LIMITER_KEY] = limiter
    return limiter


def _storage_options(settings: Settings) -> dict[str, Any]:
    if not settings.redis_url:
        return {}
    # Fail fast when Redis is down, so the in-memory fallback takes over within a request.
    return {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def get_limiter(app: Flask) -> Limiter:
    limiter: Limiter = app.extensions[LIMITER_KEY]
    return limiter


def client_address() -> str:
    return request.remote_addr or "unknown"


def api_caller() -> str:
    """The token (hashed, never the token itself) when one is sent, else the address."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + hash_token(token.strip())[:32]
    return "addr:" + client_address()


def _not_login_attempt() -> bool:
    return request.endpoint not in LOGIN_ENDPOINTS or request.method != "POST"


def _not_limited_api() -> bool:
    return not request.path.startswith(API_PREFIX) or request.path in UNLIMITED_PATHS


def _valid_token_or_not_limited() -> bool:
    """Only failed authentications count against an address, and only they are refused.

    Many clients share an address behind a proxy: one of them guessing tokens must not lock
    out the others, whose valid tokens keep their own per-token budget (``api`` scope).
    """
    if _not_limited_api():
        return True
    try:
        current_user()  # caches the caller in ``g`` for the API gate
    except UnauthorizedError:
        return False
    return True


def init_api_gate(app: Flask) -> None:
    """Authenticate (401) and authorise (403) API calls before their input is validated.

    flask-openapi3 validates path, query and body before the view (and its role decorator)
    runs, so an anonymous caller would otherwise get 422s describing the input rules and
    exercise the validators. Roles come from ``require_roles``; any other operation that
    declares bearer security in the OpenAPI description at least needs a valid token.
    """

    @app.before_request
    def _api_gate() -> None:
        if not request.path.startswith(API_PREFIX) or request.url_rule is None:
            return
        if request.method == "OPTIONS":
            return  # Flask's automatic answer: the allowed methods, no data
        view = current_app.view_functions.get(request.endpoint or "")
        roles = getattr(view, "required_roles", None)
        if roles is None and not _declares_security(request.url_rule.rule, request.method):
            return
        user = current_user()
        if roles is not None and user.role not in roles:
            raise ForbiddenError()


_RULE_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _declares_security(rule: str, method: str) -> bool:
    return (_RULE_PARAM.sub(r"{\1}", rule), method.lower()) in _secured_operations()


def _secured_operations() -> frozenset[tuple[str, str]]:
    cache: frozenset[tuple[str, str]] | None = current_app.extensions.get("qualimatch.secured")
    if cache is None:
        spec: dict[str, Any] = current_app.api_doc  # type: ignore[attr-defined]
        cache = frozenset(
            (path, method)
            for path, operations in spec.get("paths", {}).items()
            for method, operation in operations.items()
            if isinstance(operation, dict) and operation.get("security")
        )
        current_app.extensions["qualimatch.secured"] = cache
    return cache

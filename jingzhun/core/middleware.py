"""Chinese first and a Content-Security-Policy on every response.

Chinese first: the console speaks zh-hans unless the user chose English.

Django's LocaleMiddleware follows the browser's Accept-Language, so a lab PC with an English
browser would greet a counsellor in English. Here only the language cookie (set by the
switch in the top bar) changes the language; API clients still negotiate by header.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


CSP_HEADER = "Content-Security-Policy"


def csp_header(policy: dict[str, str]) -> str:
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Send `settings.CONTENT_SECURITY_POLICY` with every response that has no policy yet.

    Django 6.0 brings its own CSP middleware (SECURE_CSP); until the project moves to it this
    one sets the header, from a setting of the same shape (directive → sources).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = csp_header(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP_HEADER in response:
            return response
        # Django's technical error pages (DEBUG only) style themselves inline.
        if settings.DEBUG and response.status_code in {404, 500}:
            return response
        response[CSP_HEADER] = self.policy
        return response


class IdleAwareSessionMiddleware(SessionMiddleware):
    """Django's session middleware, except that a response marked passive (`passive_session`,
    e.g. the notification bell that polls every minute from every open page) neither saves
    the session nor sends its cookie: background polling must not keep an idle session alive
    (`SESSION_SAVE_EVERY_REQUEST` is the idle timeout), nor race a login in another request."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(response, PASSIVE_SESSION, False):
            return response
        return super().process_response(request, response)


PASSIVE_SESSION = "jingzhun_passive_session"


def passive_session(response: HttpResponse) -> HttpResponse:
    """Mark a response so the session is left as it was (see IdleAwareSessionMiddleware)."""
    setattr(response, PASSIVE_SESSION, True)
    return response

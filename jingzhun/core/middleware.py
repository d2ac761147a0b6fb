"""Chinese first: the console speaks zh-hans unless the user chose English.

Django's LocaleMiddleware follows the browser's Accept-Language, so a lab PC with an English
browser would greet a counsellor in English. Here only the language cookie (set by the
switch in the top bar) changes the language; API clients still negotiate by header.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
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

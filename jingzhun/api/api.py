"""The NinjaAPI instance mounted at /api/: authentication, routers and JSON error shapes.

Errors are always JSON: 401/403/404/413 and unparseable bodies (400) as {"detail": …},
broken domain rules as {"code": …, "message": …} (400), bodies of the wrong shape as
ninja's validation list (422).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError

from jingzhun.api import events, records, students
from jingzhun.api.auth import ApiTokenAuth, ScopeMissing, TokenRejected
from jingzhun.api.scopes import ALL_SCOPES, EVENT_SOURCES
from jingzhun.core.errors import DomainError

DESCRIPTION = (
    "Read and bulk-write the student registry from campus systems (教务, 学工, 一卡通, 资助).\n\n"
    "Send `Authorization: Bearer <token>`; tokens are issued by an operator with "
    "`jingzhun api_token create` and belong to one institution. Scopes: "
    + ", ".join(f"`{s}`" for s in ALL_SCOPES)
    + ". Bulk writes follow the same validation as spreadsheet imports. Event batches "
    "(sources " + ", ".join(f"`{s}`" for s in EVENT_SOURCES) + ") go to the Parquet event lake."
)

api = NinjaAPI(
    title="Jingzhun API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    # No call-out to the public validator: the schema stays on campus.
    docs=Swagger(settings={"validatorUrl": None}),
    auth=ApiTokenAuth(),
)
api.add_router("/students", students.router)
api.add_router("/records", records.router)
api.add_router("/events", events.router)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = (
        exc.message
        if isinstance(exc, TokenRejected)
        else _("Send a token in the header 'Authorization: Bearer <token>'.")
    )
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="jingzhun"'
    return response


@api.exception_handler(ScopeMissing)
def _scope_missing(request: HttpRequest, exc: ScopeMissing) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "required_scope": exc.scope}, status=403
    )


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"code": exc.code, "message": exc.message}, status=400)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("The request body is too large; send fewer records per request.")},
        status=413,
    )  # fmt: skip

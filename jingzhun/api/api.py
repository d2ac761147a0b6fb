"""The NinjaAPI instance mounted at /api/: authentication, routers and JSON error shapes.

Errors are always JSON and always the shape the OpenAPI documents for their status:
400 {"code", "message"} (a broken domain rule, a body that is not JSON, too many parameters),
401/404/409/413/415 {"detail"}, 403 {"detail", "required_scope"}, 422 ninja's validation list
{"detail": [...]} capped at MAX_REPORTED_ERRORS (bulk and event endpoints also use 422 for
their own refusal, documented as one of two shapes).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from jingzhun.api import events, records, students
from jingzhun.api.auth import ApiTokenAuth, ScopeMissing, TokenRejected
from jingzhun.api.bodies import BodyErrorCode, StrictJsonParser
from jingzhun.api.schemas import MAX_REPORTED_ERRORS
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

NULL = {"type": "null"}


def _never_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`X | None` as X: pydantic's schema of an optional field, but a parameter is absent, not
    null (a client, or a fuzzer, would otherwise send the text "null")."""
    options = [option for option in schema.get("anyOf", []) if option != NULL]
    if len(options) != 1 or len(schema["anyOf"]) != 2:
        return schema
    return {key: value for key, value in schema.items() if key != "anyOf"} | options[0]


class JingzhunApi(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    parameter["schema"] = _never_null(parameter["schema"])
        return schema


api = JingzhunApi(
    title="Jingzhun API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    # No call-out to the public validator: the schema stays on campus.
    docs=Swagger(settings={"validatorUrl": None}),
    auth=ApiTokenAuth(),
    parser=StrictJsonParser(),
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


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja reports a body its parser refused as HttpError(400) caused by the parser's error.
    if isinstance(exc.__cause__, DomainError):
        return _domain_error(request, exc.__cause__)
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors[:MAX_REPORTED_ERRORS]}, status=422)


@api.exception_handler(TooManyFieldsSent)
def _too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
    error = DomainError(
        BodyErrorCode.TOO_MANY_PARAMETERS,
        _("Too many query parameters; send each filter at most once."),
    )
    return _domain_error(request, error)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("The request body is too large; send fewer records per request.")},
        status=413,
    )  # fmt: skip

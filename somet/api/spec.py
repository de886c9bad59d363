"""Declaring an API operation once: the route, its scope, its parameters and bodies (pydantic
models) and its answers. ``api_route`` registers the route and keeps the declaration on the
view function; ``openapi_document`` reads the declarations back from the app's URL map, so
the OpenAPI 3.1 document is generated from the code that serves it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from flask_limiter.util import get_remote_address
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from somet.accounts.operations import token_digest
from somet.api import operations as tokens
from somet.api import schemas
from somet.api.problems import ApiProblem, from_validation
from somet.api.rules import MAX_ID, bearer_token
from somet.models import ApiToken, User
from somet.web.extensions import limiter

REF = "#/components/schemas/{model}"
SECURITY_SCHEME = "bearerAuth"
_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
COMMON_PROBLEMS = (400, 401, 403, 404, 429)
PROBLEM_TEXT = {
    400: "The request has invalid parameters or body (`errors` names the fields).",
    401: "No valid token: missing, unknown or revoked.",
    403: "The token lacks the operation's scope, or its rights do not allow the action.",
    404: "No such object, or not one the token's hospital may see.",
    409: "The object's state does not allow the change.",
    422: "Roster rows break the roster's rules (`errors` names row and field); nothing saved.",
    429: "Too many requests for this token; try again later.",
}


@dataclass(frozen=True)
class ApiOperation:
    """What the OpenAPI document says of one route."""

    method: str
    summary: str
    scope: str | None
    response: type[BaseModel]
    tag: str
    status: int = 200
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    problems: tuple[int, ...] = COMMON_PROBLEMS
    description: str = ""


@dataclass(frozen=True)
class Call:
    """An authenticated request: the token, the user it acts as, the parsed inputs."""

    token: ApiToken
    actor: User
    query: Any = None
    body: Any = None


def rate_key() -> str:
    """Rate limits count per token (per address for requests without one)."""
    secret = bearer_token(request.headers.get("Authorization"))
    return f"api-token:{token_digest(secret)}" if secret else f"api-ip:{get_remote_address()}"


def rate_limit() -> str:
    return current_app.config["SOMET_API_RATE_LIMIT"]


def api_route(blueprint: Blueprint, rule: str, operation: ApiOperation) -> Callable:
    """Serve ``view(call, **path)`` at ``rule``: authenticated, parsed, rate-limited, JSON."""

    def decorator(view: Callable[..., BaseModel]) -> Callable:
        @wraps(view)
        def endpoint(**path: Any) -> Response:
            if any(isinstance(v, int) and v > MAX_ID for v in path.values()):
                raise ApiProblem(404)
            call = _call(operation)
            result = view(call, **path)
            return Response(
                result.model_dump_json(), status=operation.status, mimetype="application/json"
            )

        endpoint.api_operation = operation
        limited = limiter.limit(rate_limit, key_func=rate_key)(endpoint)
        blueprint.add_url_rule(rule, view.__name__, limited, methods=[operation.method])
        return limited

    return decorator


def _call(operation: ApiOperation) -> Call:
    secret = bearer_token(request.headers.get("Authorization"))
    try:
        token = tokens.authenticate(secret, operation.scope)
    except tokens.TokenRefused:
        raise ApiProblem(401, "Send a valid token: Authorization: Bearer <token>.") from None
    except tokens.ScopeMissing:
        raise ApiProblem(403, f"The token lacks the scope {operation.scope}.") from None
    query = body = None
    if operation.query is not None:
        try:
            query = operation.query.model_validate(request.args.to_dict())
        except ValidationError as error:
            raise from_validation(error) from None
    if operation.body is not None:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise ApiProblem(400, "The body must be a JSON object.")
        try:
            body = operation.body.model_validate(data)
        except ValidationError as error:
            raise from_validation(error, rows=True) from None
    return Call(token, tokens.principal_of(token), query, body)


# --- the document ---------------------------------------------------------------------------


def api_operations(app: Flask) -> list[tuple[str, ApiOperation]]:
    """(OpenAPI path, operation) of every API route of ``app``, by path."""
    found = []
    for rule in app.url_map.iter_rules():
        operation = getattr(app.view_functions.get(rule.endpoint), "api_operation", None)
        if operation is not None:
            found.append((_openapi_path(rule), operation, rule))
    return sorted(found, key=lambda item: (item[0], item[1].method))


def _openapi_path(rule) -> str:
    """``/cohorts/<int:cohort_id>`` as ``/cohorts/{cohort_id}``."""
    return _VARIABLE.sub(r"{\1}", rule.rule)


def openapi_document(app: Flask) -> dict:
    """The OpenAPI 3.1 document of ``app``'s API routes."""
    listed = api_operations(app)
    models = {(schemas.Problem, "serialization")}
    for _path, operation, _rule in listed:
        models.add((operation.response, "serialization"))
        if operation.body is not None:
            models.add((operation.body, "validation"))
    _keys, top = models_json_schema(
        sorted(models, key=lambda pair: pair[0].__name__), ref_template=REF
    )
    components = dict(top.get("$defs", {}))
    paths: dict[str, dict] = {}
    for path, operation, rule in listed:
        paths.setdefault(path, {})[operation.method.lower()] = _operation_object(
            rule, operation, components
        )
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "SOMET API",
            "version": "1.0.0",
            "description": (
                "Read cohorts, doctors, placements, masterclasses and certificates; import "
                "rosters and record attendance. Send `Authorization: Bearer <token>`; an "
                "administrator creates tokens with scopes and an optional hospital limit."
            ),
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An integration token; each operation names its scope.",
                }
            },
        },
    }


def _operation_object(rule, operation: ApiOperation, components: dict) -> dict:
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        }
        for name in sorted(rule.arguments)
    ]
    if operation.query is not None:
        parameters += _query_parameters(operation.query, components)
    problems = sorted(set(operation.problems) | {401, 429})
    responses = {
        str(operation.status): {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": _ref(operation.response)}}},
        },
        **{
            str(status): {
                "description": PROBLEM_TEXT.get(status, "Error"),
                "content": {
                    "application/problem+json": {"schema": {"$ref": _ref(schemas.Problem)}}
                },
            }
            for status in problems
        },
    }
    found = {
        "operationId": rule.endpoint.split(".")[-1],
        "summary": operation.summary,
        "description": operation.description or operation.summary,
        "tags": [operation.tag],
        "security": [{SECURITY_SCHEME: [operation.scope] if operation.scope else []}],
        "x-scope": operation.scope,
        "parameters": parameters,
        "responses": responses,
    }
    if operation.body is not None:
        found["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": _ref(operation.body)}}},
        }
    return found


def _ref(model: type[BaseModel]) -> str:
    return REF.format(model=model.__name__)


def _query_parameters(model: type[BaseModel], components: dict) -> list[dict]:
    schema = model.model_json_schema(ref_template=REF)
    components.update(schema.get("$defs", {}))
    parameters = []
    for name, prop in schema["properties"].items():
        prop = _without_null(prop)
        description = prop.pop("description", None)
        parameter = {"name": name, "in": "query", "required": False, "schema": prop}
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _without_null(prop: dict) -> dict:
    """An optional parameter is left out, never sent as null: drop ``null`` from its type."""
    prop = {k: v for k, v in prop.items() if k != "title"}
    options = [option for option in prop.pop("anyOf", []) if option.get("type") != "null"]
    if len(options) == 1:
        prop.update(options[0])
    elif options:
        prop["anyOf"] = options
    if prop.get("default", 0) is None:
        del prop["default"]
    return prop

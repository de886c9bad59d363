"""The API's description: the OpenAPI document as JSON, and as a page people read (rendered
here from the same document, with no script and nothing from another host)."""

from __future__ import annotations

from flask import current_app, jsonify, render_template

from somet.api.blueprint import blueprint
from somet.api.spec import openapi_document


@blueprint.route("/openapi.json")
def show_openapi():
    return jsonify(openapi_document(current_app))


@blueprint.route("/docs")
def show_docs():
    document = openapi_document(current_app)
    return render_template(
        "api/docs.html",
        document=document,
        operations=_operations(document),
        schemas=_schemas(document),
    )


def _operations(document: dict) -> list[dict]:
    found = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            ok = next(code for code in operation["responses"] if code.startswith("2"))
            found.append({
                "id": operation["operationId"],
                "method": method.upper(),
                "path": path,
                "summary": operation["summary"],
                "description": operation["description"],
                "scope": operation["x-scope"],
                "parameters": [
                    {
                        "name": p["name"], "in": p["in"], "required": p["required"],
                        "type": type_text(p["schema"]), "description": p.get("description", ""),
                    }
                    for p in operation["parameters"]
                ],
                "body": type_text(body["schema"]) if body else None,
                "status": ok,
                "response": type_text(
                    operation["responses"][ok]["content"]["application/json"]["schema"]
                ),
                "problems": [code for code in operation["responses"] if not code.startswith("2")],
            })  # fmt: skip
    return found


def _schemas(document: dict) -> list[dict]:
    found = []
    for name, schema in sorted(document["components"]["schemas"].items()):
        required = set(schema.get("required", ()))
        found.append({
            "name": name,
            "description": schema.get("description", ""),
            "members": schema.get("enum"),
            "fields": [
                {"name": field, "type": type_text(prop), "required": field in required,
                 "description": prop.get("description", "")}
                for field, prop in schema.get("properties", {}).items()
            ],
        })  # fmt: skip
    return found


def type_text(schema: dict) -> str:
    """A JSON Schema's type in a few words: ``list[Cohort]``, ``string (date) | null``."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_text(option) for option in schema["anyOf"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list[{type_text(schema.get('items', {}))}]"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"map[string, {type_text(schema['additionalProperties'])}]"
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    return f"{kind} ({schema['format']})" if "format" in schema else kind

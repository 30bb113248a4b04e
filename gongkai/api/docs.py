"""/api/v1/docs/: the API reference as a server-rendered page, read from the same OpenAPI schema that
/api/v1/schema/ serves (drf-spectacular), so it cannot drift from the API.

Swagger UI stays for trying requests (/api/v1/docs/try/); the reference itself is plain HTML: readable by a
screen reader, on a phone and in elderly mode, without script (Swagger UI's own markup nests buttons and
fails contrast, which the site cannot fix from outside — issue 27.8).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")
_lock = threading.Lock()
_schema: dict = {}


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    kind: str
    description: str


@dataclass
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter] = field(default_factory=list)
    body: str = ""
    responses: list[tuple[str, str]] = field(default_factory=list)


WHERE = {"query": "查询参数", "path": "路径参数", "header": "请求头", "cookie": "Cookie"}


def _kind(schema: dict) -> str:
    if "enum" in schema:
        return "取值：" + " | ".join(str(v) for v in schema["enum"])
    kind = schema.get("type", "")
    if schema.get("format"):
        kind += f"（{schema['format']}）"
    if kind == "array" and isinstance(schema.get("items"), dict):
        kind = f"数组，元素为 {_kind(schema['items'])}"
    return kind or "对象"


def api_schema() -> dict:
    """The public schema, generated once per process (it only changes with the code)."""
    with _lock:
        if not _schema:
            _schema.update(SchemaGenerator().get_schema(request=None, public=True))
    return _schema


def reference() -> tuple[dict, list[tuple[str, list[Operation]]]]:
    schema = api_schema()
    groups: dict[str, list[Operation]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            parameters = [Parameter(p["name"], WHERE.get(p.get("in", ""), p.get("in", "")), bool(p.get("required")),
                                    _kind(p.get("schema", {})), p.get("description", ""))
                          for p in op.get("parameters", [])]
            body = ""
            if "requestBody" in op:
                body = "、".join(sorted(op["requestBody"].get("content", {})))
            responses = [(code, (r or {}).get("description", "")) for code, r in sorted(op.get("responses", {}).items())]
            operation = Operation(anchor=op.get("operationId", f"{method}{path}"), method=method.upper(), path=path,
                                  summary=op.get("summary", ""), description=op.get("description", ""),
                                  parameters=parameters, body=body, responses=responses)
            groups.setdefault((op.get("tags") or ["其他"])[0], []).append(operation)
    return schema.get("info", {}), sorted(groups.items())


def api_docs(request):
    info, groups = reference()
    return render(request, "api/reference.html", {"info": info, "groups": groups})

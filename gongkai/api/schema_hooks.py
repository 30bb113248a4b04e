"""drf-spectacular post-processing: document the error answers every operation can give (issue 15.6).

The views document their success bodies; the refusals come from shared layers — DRF and
`api.errors.exception_handler` (400 invalid parameters, 401 no valid credentials, 403 not signed in / not allowed / second factor
missing, 404 unknown object), the body-size cap (413) and the rate limits and search pool (429, 503 with
Retry-After; core.ratelimit). A schema fuzz (schemathesis) reported them as undocumented status codes, so
they are added here once for every operation instead of on each view.
"""

from __future__ import annotations

ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "fields": {"type": "object"}},
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}

# 413/429/503 come from layers in front of the API views (size cap, rate limits, search pool): only the
# status is promised, not the body.
ANSWERS = {
    "400": ("请求参数有误", "ApiError"),
    "401": ("未提供有效的身份凭据（API 密钥）", "ApiError"),
    "403": ("未登录、无权限或未完成二次验证", "ApiError"),
    "404": ("对象不存在", "ApiError"),
    "413": ("请求体过大", None),
    "429": ("请求过于频繁（见 Retry-After）", None),
    "503": ("繁忙，请稍后再试（见 Retry-After）", None),
}


def document_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ApiError", ERROR)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, (text, ref) in ANSWERS.items():
                if status in responses:
                    continue
                answer = {"description": text}
                if ref is not None:
                    answer["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}
                responses[status] = answer
    return result

"""API errors are JSON with a clear message: {"error": {"code", "message", "fields"}}.

For bad parameters the message itself names each parameter ("参数 genre：…"), and `fields` maps
parameter names to their messages for programs.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler


def _field_message(name: str, messages) -> str:
    if isinstance(messages, list | tuple):
        text = "；".join(str(m) for m in messages)
    else:
        text = str(messages)
    return text if name in text else f"参数 {name}：{text}"


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        body = {"error": {"code": getattr(data["detail"], "code", "error"), "message": str(data["detail"])}}
    elif isinstance(data, dict):
        message = "；".join(_field_message(name, messages) for name, messages in data.items())
        body = {"error": {"code": "invalid", "message": message or "请求参数有误。", "fields": data}}
    else:
        body = {"error": {"code": "invalid", "message": "；".join(str(m) for m in data) or "请求参数有误。"}}
    response.data = body
    return response


def not_found(request, *args, **kwargs):
    """JSON 404 for any path under /api/ that names no endpoint."""
    return JsonResponse(
        {"error": {"code": "not_found", "message": f"接口不存在：{request.path}。接口说明见 /api/v1/docs/。"}}, status=404
    )


class Refused(APIException):
    """A domain service refused the request (its ValidationError): 400 with the service's own words."""

    status_code = 400
    default_code = "refused"
    default_detail = "请求未被接受。"


def refusal(exc: Exception) -> APIException:
    """The API error for what a domain service raised: PermissionDenied → 403, ValidationError → 400."""
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or "无权执行该操作。")
    return Refused("；".join(exc.messages))


def csrf_failure(request, reason=""):
    """CSRF refusals under /api/ answer in the API's JSON error shape (a schema fuzz found HTML 403s there, 15.6);
    elsewhere Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "csrf_failed", "message": f"CSRF 校验失败：{reason}"}}, status=403,
                            json_dumps_params={"ensure_ascii": False})
    from django.views.csrf import csrf_failure as django_csrf_failure  # noqa: PLC0415 — only for pages

    return django_csrf_failure(request, reason=reason)

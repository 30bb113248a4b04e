"""API errors are JSON with a clear message: {"error": {"code", "message", "fields"}}."""

from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        body = {"error": {"code": getattr(data["detail"], "code", "error"), "message": str(data["detail"])}}
    else:
        body = {"error": {"code": "invalid", "message": "请求参数有误。", "fields": data}}
    response.data = body
    return response

"""Visitor preferences kept in cookies (no session, so public pages stay cacheable)."""

ELDERLY_COOKIE = "gk_elderly"
ELDERLY_COOKIE_AGE = 365 * 24 * 3600


def elderly_mode(request) -> bool:
    """老年模式 (elderly mode) is on for this visitor."""
    return request.COOKIES.get(ELDERLY_COOKIE) == "1"

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from gongkai.core.selectors import site_identity

from .preferences import elderly_mode


def _error_report_url(identity) -> str:
    """网站找错: the portal's own page when there is one, else a mail to the configured address."""
    try:
        return reverse("portal:error_report")
    except NoReverseMatch:
        return f"mailto:{identity.error_report_email}" if identity and identity.error_report_email else ""


def portal(request):
    """Lazy: the footer's row is read only by templates that show it (not by staff pages or the API)."""
    identity = SimpleLazyObject(site_identity)
    return {"elderly": elderly_mode(request), "site_identity": identity,
            "error_report_url": SimpleLazyObject(lambda: _error_report_url(identity))}

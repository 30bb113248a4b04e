"""sitemap.xml: an index over paginated sections (documents, interpretations, 公开专栏, fixed pages, Q&A,
办事指南 and 一件事, 政府公报 issues)."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.catalog.selectors import gazette_issues_public, service_items_public, service_packages_public
from gongkai.core.models import Organisation
from gongkai.documents.selectors import documents_public, interpretations_public
from gongkai.qa.selectors import qa_published

DEFAULT_LIMIT = 5000


class PortalSitemap(Sitemap):
    @property
    def limit(self):
        return getattr(settings, "PORTAL_SITEMAP_LIMIT", DEFAULT_LIMIT)


class DocumentSitemap(PortalSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return documents_public().only("index_no", "published_at", "updated_at").order_by("id")

    def location(self, item):
        return reverse("portal:document", kwargs={"index_no": item.index_no})

    def lastmod(self, item):
        return max(item.updated_at, item.published_at) if item.published_at else item.updated_at


class InterpretationSitemap(PortalSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return interpretations_public().only("pk", "published_at").order_by("id")

    def location(self, item):
        return reverse("portal:interpretation", kwargs={"pk": item.pk})

    def lastmod(self, item):
        return item.published_at


COLUMN_PAGES = ["portal:column", "portal:column_guide", "portal:column_system", "portal:column_proactive",
                "portal:column_reports", "portal:column_apply", "portal:catalogue", "portal:key_area_columns"]


class ColumnSitemap(PortalSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return [(org.code, name) for org in Organisation.objects.filter(is_active=True).order_by("id") for name in COLUMN_PAGES]

    def location(self, item):
        return reverse(item[1], kwargs={"code": item[0]})


class PagesSitemap(PortalSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["portal:home", "portal:library", "portal:organisations"]

    def location(self, item):
        return reverse(item)


class QASitemap(PortalSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        # The column page first: the section is never an empty urlset (which sitemap.xsd refuses).
        return [None, *qa_published().only("pk", "updated_at").order_by("id")]

    def location(self, item):
        return reverse("portal:qa_ask") if item is None else reverse("portal:qa_entry", kwargs={"pk": item.pk})

    def lastmod(self, item):
        return None if item is None else item.updated_at


class ServiceSitemap(PortalSitemap):
    """Published service guides (办事指南) and 一件事 packages."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        # The section's index page first: the section is never an empty urlset (which sitemap.xsd refuses).
        guides = sorted(service_items_public(), key=lambda item: item.pk)
        return [None, *guides, *service_packages_public().order_by("id")]

    def location(self, item):
        if item is None:
            return reverse("portal:services")
        if hasattr(item, "code"):
            return reverse("portal:service", kwargs={"code": item.code})
        return reverse("portal:service_package", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return getattr(item, "updated_at", None) if item is not None else None


class GazetteSitemap(PortalSitemap):
    """Published gazette issues (政府公报), each page and its PDF."""

    changefreq = "yearly"
    priority = 0.5

    def items(self):
        issues = gazette_issues_public().order_by("year", "number")
        return [None, *((issue, name) for issue in issues for name in ("portal:gazette_issue", "portal:gazette_pdf"))]

    def location(self, item):
        if item is None:
            return reverse("portal:gazette")
        issue, name = item
        return reverse(name, kwargs={"year": issue.year, "number": issue.number})

    def lastmod(self, item):
        return None if item is None else item[0].published_on


SITEMAPS = {
    "documents": DocumentSitemap,
    "interpretations": InterpretationSitemap,
    "columns": ColumnSitemap,
    "pages": PagesSitemap,
    "qa": QASitemap,
    "services": ServiceSitemap,
    "gazette": GazetteSitemap,
}

"""DCAT-AP descriptions of the catalogue and of each dataset, built with rdflib (JSON-LD, Turtle, RDF/XML)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, XSD

from . import conf
from .models import Dataset

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
FORMATS = {"CSV": "text/csv", "JSON": "application/json", "GEOJSON": "application/geo+json", "XLSX":
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PDF": "application/pdf",
           "XML": "application/xml", "ZIP": "application/zip"}
SERIALISERS = {"jsonld": ("json-ld", "application/ld+json"), "ttl": ("turtle", "text/turtle"),
               "rdf": ("xml", "application/rdf+xml")}


def _graph() -> Graph:
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("adms", ADMS),
                       ("hydra", HYDRA)):
        g.bind(prefix, ns)
    return g


def add_dataset(g: Graph, dataset: Dataset, url: Callable[[str, list], str]) -> URIRef:
    node = URIRef(url("portal:opendata_dataset", [dataset.name]))
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.identifier, Literal(dataset.name)))
    g.add((node, DCTERMS.title, Literal(dataset.title, lang="zh")))
    if dataset.notes:
        g.add((node, DCTERMS.description, Literal(dataset.notes, lang="zh")))
    g.add((node, DCTERMS.issued, Literal(dataset.published_at or dataset.created_at, datatype=XSD.dateTime)))
    g.add((node, DCTERMS.modified, Literal(dataset.modified_at, datatype=XSD.dateTime)))
    g.add((node, OWL.versionInfo, Literal(str(dataset.version))))
    g.add((node, DCAT.landingPage, node))
    publisher = URIRef(url("portal:column", [dataset.organisation.code]))
    g.add((node, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal(dataset.organisation.name, lang="zh")))
    g.add((node, DCTERMS.accrualPeriodicity, URIRef(conf.FREQUENCY_BASE + dataset.frequency)))
    for tag in dataset.tags.all():
        g.add((node, DCAT.keyword, Literal(tag.name, lang="zh")))
    for domain in dataset.domains.all():
        g.add((node, DCAT.theme, Literal(domain.title, lang="zh")))
    if dataset.spatial:
        g.add((node, DCTERMS.spatial, Literal(dataset.spatial, lang="zh")))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        g.add((node, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            g.add((period, DCAT.startDate, Literal(dataset.temporal_start, datatype=XSD.date)))
        if dataset.temporal_end:
            g.add((period, DCAT.endDate, Literal(dataset.temporal_end, datatype=XSD.date)))
    if dataset.contact_name or dataset.contact_email:
        contact = BNode()
        g.add((node, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Organization))
        g.add((contact, VCARD.fn, Literal(dataset.contact_name or dataset.organisation.name)))
        if dataset.contact_email:
            g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
    access = Literal(dataset.get_access_level_display(), lang="zh")
    g.add((node, DCTERMS.accessRights, access))
    licence = conf.licence(dataset.licence_id) or {}
    licence_node = URIRef(licence["url"]) if licence.get("url") else URIRef(url("portal:opendata_licence", []) + "#" + dataset.licence_id)
    for resource in dataset.resources.all():
        dist = URIRef(url("portal:opendata_dataset", [dataset.name]) + f"#resource-{resource.pk}")
        g.add((node, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(resource.name, lang="zh")))
        g.add((dist, DCTERMS.format, Literal(resource.format)))
        g.add((dist, DCTERMS.license, licence_node))
        if resource.format in FORMATS:
            g.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + FORMATS[resource.format])))
        current = resource.files.filter(withheld=False).order_by("-version").first()
        if resource.url:
            g.add((dist, DCAT.accessURL, URIRef(resource.url)))
        elif current is not None:
            link = URIRef(url("portal:opendata_download", [resource.pk, current.version]))
            g.add((dist, DCAT.accessURL, node))
            if dataset.access_level == Dataset.Access.OPEN:
                g.add((dist, DCAT.downloadURL, link))
            g.add((dist, DCAT.byteSize, Literal(current.size, datatype=XSD.nonNegativeInteger)))
            g.add((dist, DCTERMS.modified, Literal(current.created_at, datatype=XSD.dateTime)))
    return node


def catalog_graph(datasets: Iterable[Dataset], *, url: Callable[[str, list], str], page: int, per_page: int,
                  total: int, page_url: Callable[[int], str]) -> Graph:
    g = _graph()
    catalog = URIRef(url("portal:opendata_list", []))
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal("政府数据开放目录", lang="zh")))
    g.add((catalog, DCTERMS.description, Literal("本平台开放的数据集（DCAT-AP）", lang="zh")))
    g.add((catalog, FOAF.homepage, catalog))
    for dataset in datasets:
        g.add((catalog, DCAT.dataset, add_dataset(g, dataset, url)))
    paging = URIRef(page_url(page))
    g.add((paging, RDF.type, HYDRA.PagedCollection))
    g.add((paging, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    g.add((paging, HYDRA.itemsPerPage, Literal(per_page, datatype=XSD.integer)))
    g.add((paging, HYDRA.firstPage, URIRef(page_url(1))))
    last = max(1, -(-total // per_page))
    g.add((paging, HYDRA.lastPage, URIRef(page_url(last))))
    if page < last:
        g.add((paging, HYDRA.nextPage, URIRef(page_url(page + 1))))
    if page > 1:
        g.add((paging, HYDRA.previousPage, URIRef(page_url(page - 1))))
    return g


def dataset_graph(dataset: Dataset, *, url: Callable[[str, list], str]) -> Graph:
    g = _graph()
    add_dataset(g, dataset, url)
    return g


def serialise(g: Graph, fmt: str) -> tuple[str, str]:
    name, mime = SERIALISERS[fmt]
    return g.serialize(format=name), mime

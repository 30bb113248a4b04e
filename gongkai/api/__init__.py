"""The read API (/api/v1/): policy documents, organisations, topics and code tables, with an OpenAPI schema.

Endpoints: GET documents, documents/{id}, documents/by-index-no/{索引号 with its slashes},
organisations, organisations/{code}, topics, enumerations; schema/ (OpenAPI 3) and docs/ (Swagger UI
from the platform's own static files, drf-spectacular-sidecar).

Decisions:
- Visibility: the list shows what the public sees (`documents_public`) unless `scope=staff`, which adds
  every document of the caller's organisations (401 without a login or key, 403 for non-staff). A
  detail lookup needs no scope: staff get their own organisations' documents, anybody else a 404.
- Auth: the workspace session for browsers, `Authorization: Bearer gk_…` API keys for other systems
  (`ApiKey`: hashed, named, expiring, revocable; `gongkai api-key create|list|revoke`).
- page_size over settings.API_MAX_PAGE_SIZE is a 400 naming the cap, never a silent clamp; a page past
  the end is a 404; every bad or unknown parameter is a 400 whose message names it (`params.py`).
- Sort: `-date` newest first (default), `date` oldest first, `title` by code point on both databases.

Full-text search plugs in without touching the rest: add `q` to `params.DOCUMENT_LIST_PARAMS` and
`DocumentParams`, then in `DocumentListView.get` call the search backend instead of
`selectors.documents_list_page` with the same scoped, filtered queryset; it returns a `ListPage`
(ordered documents, `extras` {id: {"snippet", "score"}}, `facets`), and `document_list_response`
builds the same JSON.
"""

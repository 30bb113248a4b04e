"""The search index's relational half: one row per document with what filters, facets, visibility
and suggestions need. The full-text half lives beside it, per database (see `backends`):
an FTS5 table `search_fts` on SQLite, a `vector tsvector` column with a GIN index on PostgreSQL.
Both are created by migration 0001 and written only by `services.search_index_document`."""

from django.db import models

from gongkai.documents.models import Document


class SearchEntry(models.Model):
    """A document as the index sees it (denormalised; rebuilt from the document on every change)."""

    document = models.OneToOneField(Document, primary_key=True, on_delete=models.CASCADE, related_name="+")
    organisation_id = models.BigIntegerField(db_index=True)
    # Published, proactively disclosed and not withdrawn: what documents_public() returns.
    is_public = models.BooleanField(default=False)
    title = models.CharField(max_length=500)
    doc_number = models.CharField(max_length=100, blank=True)
    # doc_number_normalise() of the 发文字号 without brackets and spaces, for sloppy look-ups.
    doc_number_key = models.CharField(max_length=100, blank=True, db_index=True)
    index_no = models.CharField(max_length=100, db_index=True)  # normalised (lower case) for look-ups
    genre = models.CharField(max_length=20)
    validity = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField(null=True)
    topic = models.CharField(max_length=160, blank=True)  # 一级
    subtopic = models.CharField(max_length=160, blank=True)  # 一级\二级
    published_at = models.DateTimeField(null=True)
    indexed_at = models.DateTimeField(auto_now=True)
    # The SearchChange that wrote this row: lets each process refresh its in-memory columns incrementally.
    change_id = models.BigIntegerField(default=0, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["is_public", "published_at"])]

    def __str__(self) -> str:
        return self.title


class SearchIssuer(models.Model):
    """One 发文机关 name of an indexed document (a document may have several: 联合发文)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="issuers")
    name = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["name", "entry"])]

    def __str__(self) -> str:
        return self.name


class SearchTag(models.Model):
    """One 适用对象 tag of an indexed document, for the facets and the `tag` filter: "audience:person",
    "stage:就业", "estage:开办", and the tags confirmed by the publisher for precise push ("industry:H",
    "group:退役军人", …; see `hooks.document_tags`). Never the system's unconfirmed suggestion."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="tags")
    key = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["key", "entry"])]

    def __str__(self) -> str:
        return self.key


class SearchSuggestion(models.Model):
    """A prefix key for suggestions while typing: the normalised title, its short forms and the 发文字号."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="suggestions")
    key = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["key"])]

    def __str__(self) -> str:
        return self.key


class SearchChange(models.Model):
    """One write of the index (a document's update, an import batch, or the start of a full rebuild).

    Index writers take these in commit order (a lock on PostgreSQL; SQLite has one writer at a time),
    so a process that has read the entries up to change N only needs the rows with a later change —
    see `columns`. The random token tells a change from another one that got the same id after a
    rollback; `rebuild` says the index was cleared, so everything must be read again.
    """

    id = models.BigAutoField(primary_key=True)
    token = models.CharField(max_length=32)
    rebuild = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.id}{' rebuild' if self.rebuild else ''}"

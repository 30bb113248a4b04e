"""What the search index asks the packages above it (registered in their `AppConfig.ready`).

`document_tags`: the index keeps, per document, the tags of the 适用对象 facets (whom a document
concerns: 服务对象, 人生阶段/企业阶段, and — from the subscriptions package, once the publisher has
confirmed them — 群体, 行业, 企业规模, 企业类型). The documents package only knows 服务对象 and the
生命周期分类; a package above that holds confirmed tags answers for its documents, and its answer
replaces the document's own (the publisher's confirmation may have corrected them).
"""

from gongkai.core.hooks import Hook

document_tags = Hook(
    "document_tags",
    "document_ids: the index is writing these documents; return {document_id: [tag key, …]} for the documents "
    "whose facet tags you hold (e.g. \"audience:person\", \"stage:就业\", \"industry:H\"); the answer replaces "
    "the document's own tags (服务对象, 生命周期分类). Called in the indexing process, inside its transaction.",
)

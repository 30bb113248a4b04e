"""What the policy library tells the packages above it (search, compliance, Q&A, subscriptions, …).

Each hook is called with keyword arguments only; receivers register in their `AppConfig.ready`.
"""

from gongkai.core.hooks import Hook

document_changed = Hook(
    "document_changed",
    "document_id: a document's stored state changed (any field, status or validity); called inside the "
    "writing transaction. Search re-indexes it after the commit.",
)

documents_written = Hook(
    "documents_written",
    "document_ids: a batch import wrote these documents (called after the batch's transaction).",
)

lifecycle_recorded = Hook(
    "lifecycle_recorded",
    "document, event: a lifecycle event (published, amended, repealed, expired, withdrawn, …) was recorded; "
    "called after the document's state was re-derived, inside the transaction.",
)

interpretation_published = Hook(
    "interpretation_published",
    "interpretation: a 政策解读 was published (its documents are `interpretation.documents`).",
)

item_saved = Hook(
    "item_saved",
    "item, by: a document or interpretation was created or edited (content checks run here).",
)

publication_gate = Hook(
    "publication_gate",
    "document: the document is about to be published; a receiver refuses by raising ValidationError.",
)

interpretation_publication_gate = Hook(
    "interpretation_publication_gate",
    "interpretation: the interpretation is about to be published; refuse by raising ValidationError.",
)

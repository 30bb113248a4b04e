"""Bulk import of policy documents: the canonical JSON Lines format and the laws-corpus adapter."""

from .service import FORMATS, ImportReport, documents_import, documents_import_file

__all__ = ["FORMATS", "ImportReport", "documents_import", "documents_import_file"]

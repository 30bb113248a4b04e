"""What the catalogue does when the library tells it something (registered in `apps.CatalogConfig.ready`)."""

from gongkai.core.models import Organisation
from gongkai.documents.models import Document

from .services import catalogue_sync, catalogue_track


def lifecycle_recorded(*, document: Document, event, **_kwargs) -> None:
    """Published, withdrawn, repealed …: the document's entry in its organisation's change history follows."""
    catalogue_track(document=document)


def documents_written(*, document_ids, **_kwargs) -> None:
    """A batch import: re-sync the change history of each organisation concerned."""
    org_ids = set(Document.objects.filter(pk__in=list(document_ids)).values_list("organisation_id", flat=True))
    for organisation in Organisation.objects.filter(pk__in=org_ids):
        catalogue_sync(organisation=organisation)

"""Template tags of the catalogue's public pages: where a document was printed in the gazette."""

from django import template

from gongkai.catalog import selectors as catalog

register = template.Library()


@register.simple_tag
def gazette_refs(document):
    return catalog.gazette_refs(document=document) if document is not None and document.pk else []

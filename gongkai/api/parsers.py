"""Request parsers of the API: JSON with control characters removed at the door (issue 15.3)."""

from rest_framework.parsers import JSONParser

from gongkai.core.textclean import data_clean


class CleanJSONParser(JSONParser):
    """DRF's JSON parser; every string of the parsed body goes through `core.textclean.data_clean`."""

    def parse(self, stream, media_type=None, parser_context=None):
        return data_clean(super().parse(stream, media_type, parser_context))

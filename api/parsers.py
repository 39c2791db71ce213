"""The API's JSON parser: DRF's, reading through config.safe_json so that too deep a body
answers 400 like any other body that is not JSON."""

import codecs

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

from config.safe_json import loads


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, reading through `loads`: too deep a body answers 400 like any other
    body that is not JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            text = codecs.getreader(parsers.get_encoding(parser_context or {}))(stream).read()
            return loads(text, parse_constant=strict_constant if self.strict else None)
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None

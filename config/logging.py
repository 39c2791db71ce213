"""Logs never carry an email address, a share link's secret, a health value or a note.

Hearth's own code logs ids and event names only. What Django and the libraries log can still
carry personal data: a 404 for a path someone typed an email address into ("Not Found: /…"), the
development server's request lines with their query strings, and PostgreSQL's explanation of a
refused row in a traceback ("DETAIL:  Failing row contains (…)", "Key (email)=(…) already
exists"), which quotes every value in it.

So every log record is cleaned as it is made, whichever logger made it and whichever handler (or
test) reads it: its message is formatted and redacted, and its traceback text is redacted.
`configure` is settings.LOGGING_CONFIG: Django calls it once per process with settings.LOGGING.
"""

import logging
import logging.config
import re

EMAIL_ADDRESS = re.compile(r"[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A share link's address holds its secret (sharing/), which opens health records to anyone.
SHARE_LINK_SECRET = re.compile(r"/s/[^/\s\"']+")
DATABASE_DETAIL = re.compile(r"^DETAIL:.*$", re.MULTILINE)
_traceback_formatter = logging.Formatter()


def redact(text: str) -> str:
    """The text without email addresses, share links' secrets or the database's quotes of a
    row's values."""
    text = EMAIL_ADDRESS.sub("[email address]", text)
    text = SHARE_LINK_SECRET.sub("/s/[secret]", text)
    return DATABASE_DETAIL.sub("DETAIL:  [values left out]", text)


def _redacting(make_record):
    def make_redacted_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a message that does not match its arguments
            message = f"{record.msg} {record.args!r}"
        # The formatted message replaces the template and its arguments, so no handler can
        # format an argument (a User shows as its email address) past the redaction.
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[0] is not None:
            # Formatters print exc_text when it is set instead of formatting the traceback again.
            record.exc_text = redact(_traceback_formatter.formatException(record.exc_info))
        return record

    make_redacted_record.redacts = True
    return make_redacted_record


def configure(logging_settings: dict) -> None:
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "redacts", False):
        logging.setLogRecordFactory(_redacting(factory))
    logging.config.dictConfig(logging_settings)

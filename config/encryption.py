"""Free text kept encrypted at rest.

Notes are encrypted with Fernet (AES-128-CBC with an HMAC) under the keys in
settings.NOTES_ENCRYPTION_KEYS. The first key encrypts; every key decrypts, so a new key can be put
first and `manage.py rotate_notes_key` re-encrypts the notes under it before the old one is
dropped. Ranges and numbers are not encrypted: only what a person writes in their own words.
"""

import itertools
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models.functions import Cast
from django.db.models.lookups import Exact, IsNull

ROTATE_BATCH_SIZE = 1000
# Never the token or the text in an error: only what an operator can act on.
UNREADABLE = (
    "A stored note cannot be decrypted with any key in NOTES_ENCRYPTION_KEYS. Was a key removed "
    "before `manage.py rotate_notes_key` had re-encrypted the notes under the new one?"
)


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def notes_cipher() -> MultiFernet:
    """The notes' keys as one MultiFernet: encrypts with the first, decrypts with any."""
    return _cipher(tuple(settings.NOTES_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return notes_cipher().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return notes_cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(UNREADABLE) from None


class BlankOnlyExact(Exact):
    """`notes=""` ("has no note") is the only comparison that can work on ciphertext: each
    encryption of the same text differs, so any other value would silently match nothing."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: it can only be compared with the "
                "empty string."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """A TextField stored as a Fernet token and read back as the text.

    The empty string is stored as the empty string, not encrypted: "has a note" stays a plain
    `notes=""` query, and the many days without a note cost nothing to read or write. Only that
    comparison (and isnull) is allowed: contains, in and the like cannot work on ciphertext, so
    they raise instead of quietly finding nothing. Never order by it: that orders ciphertext.

    Unlike TextField, max_length is also a model validator: the database cannot check the length
    of ciphertext.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))

    def get_lookup(self, lookup_name: str):
        return {"exact": BlankOnlyExact, "isnull": IsNull}.get(lookup_name)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)


def encrypted_fields() -> list[EncryptedTextField]:
    """Every encrypted column of every installed model."""
    return [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def rewrite_tokens(model: type[models.Model], field_name: str, change, batch_size: int) -> int:
    """Pass every non-blank stored value of model.field_name through `change(stored) -> new`,
    in batches, and write back what it returns (None: leave that row as it is).

    Works on the values as they are in the database, so it serves both to encrypt plain text
    (the migration) and to re-encrypt tokens (rotation). Each batch's rows stay locked from
    reading to writing, so a note someone saves meanwhile is never overwritten with its old text.
    Returns how many rows were rewritten.
    """
    with_text = model._base_manager.exclude(**{field_name: ""})
    pks = with_text.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=batch_size)
    rewritten = 0
    while batch := list(itertools.islice(pks, batch_size)):
        with transaction.atomic():
            stored = (
                with_text.filter(pk__in=batch)
                .select_for_update()
                # A plain TextField has no decrypting converter: this reads the column as stored.
                .annotate(stored=Cast(field_name, models.TextField()))
                .values_list("pk", "stored")
            )
            rows = []
            for pk, value in stored:
                new_value = change(value)
                if new_value is not None:
                    # bulk_update writes an expression as it is: the value is not encrypted again.
                    as_stored = models.Value(new_value, output_field=models.TextField())
                    rows.append(model(pk=pk, **{field_name: as_stored}))
            if rows:
                model._base_manager.bulk_update(rows, [field_name])
        rewritten += len(rows)
    return rewritten


def rotate_token(token: str) -> str | None:
    """The token re-encrypted under the current (first) key, or None if it already is."""
    current_key_only = _cipher(tuple(settings.NOTES_ENCRYPTION_KEYS[:1]))
    try:
        current_key_only.decrypt(token.encode())
        return None
    except InvalidToken:
        pass
    try:
        return notes_cipher().rotate(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(UNREADABLE) from None


def rotate_all(batch_size: int = ROTATE_BATCH_SIZE) -> dict[str, int]:
    """Re-encrypt every encrypted column under the current key; rows rotated per column."""
    return {
        f"{field.model._meta.label}.{field.name}": rewrite_tokens(
            field.model, field.name, rotate_token, batch_size
        )
        for field in encrypted_fields()
    }

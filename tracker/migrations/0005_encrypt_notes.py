"""Encrypt the daily notes and medication notes already stored (and decrypt them if reversed).

The length check moves from the database to the field's validation: the database cannot measure
the length of ciphertext.
"""

from cryptography.fernet import InvalidToken
from django.db import migrations

import config.encryption

BATCH_SIZE = 1000
ENCRYPTED_COLUMNS = [("DailyEntry", "notes"), ("Medication", "note")]


def encrypt_plain_text(stored: str) -> str | None:
    """The text encrypted, or None if it already is: code deployed before this migration ran
    encrypts what it writes, and running the migration again must not encrypt twice."""
    try:
        config.encryption.notes_cipher().decrypt(stored.encode())
    except InvalidToken:
        return config.encryption.encrypt(stored)
    return None


def encrypt_stored_notes(apps, schema_editor):
    for model_name, field_name in ENCRYPTED_COLUMNS:
        model = apps.get_model("tracker", model_name)
        config.encryption.rewrite_tokens(model, field_name, encrypt_plain_text, BATCH_SIZE)


def decrypt_stored_notes(apps, schema_editor):
    for model_name, field_name in ENCRYPTED_COLUMNS:
        model = apps.get_model("tracker", model_name)
        config.encryption.rewrite_tokens(model, field_name, config.encryption.decrypt, BATCH_SIZE)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0004_day_from_1900"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="dailyentry",
            name="entry_notes_max_length",
        ),
        migrations.AlterField(
            model_name="dailyentry",
            name="notes",
            field=config.encryption.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name="medication",
            name="note",
            field=config.encryption.EncryptedTextField(blank=True, max_length=500),
        ),
        migrations.RunPython(encrypt_stored_notes, decrypt_stored_notes),
    ]

"""Symptoms and barriers ticked on a day become explicit through models that repeat the entry's
person and day, so counting a period's ticks reads one range of a (user, day, ...) index
instead of looking up every day's links.

The tables Django made for the many-to-many fields stay (SeparateDatabaseAndState). The new
columns are added empty, filled by one UPDATE ... FROM the entries, then made NOT NULL and
indexed. On PostgreSQL two triggers keep them equal to the entry's: one copies the person and
day from the entry whenever a link is written, one carries them to the links if an entry's
person or day ever changes.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

LINK_TABLES = {
    "entrysymptom": ("tracker_dailyentry_symptoms", "symptom"),
    "entryintimacybarrier": ("tracker_dailyentry_intimacy_barriers", "intimacybarrier"),
}

TRIGGERS = """
CREATE FUNCTION tracker_link_copies_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT entry.user_id, entry.day INTO NEW.user_id, NEW.day
    FROM tracker_dailyentry AS entry WHERE entry.id = NEW.dailyentry_id;
    RETURN NEW;
END $$;
CREATE TRIGGER tracker_dailyentry_symptoms_copy_entry
    BEFORE INSERT OR UPDATE OF dailyentry_id, user_id, day ON tracker_dailyentry_symptoms
    FOR EACH ROW EXECUTE FUNCTION tracker_link_copies_entry();
CREATE TRIGGER tracker_dailyentry_intimacy_barriers_copy_entry
    BEFORE INSERT OR UPDATE OF dailyentry_id, user_id, day ON tracker_dailyentry_intimacy_barriers
    FOR EACH ROW EXECUTE FUNCTION tracker_link_copies_entry();

CREATE FUNCTION tracker_entry_moves_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tracker_dailyentry_symptoms SET user_id = NEW.user_id, day = NEW.day
    WHERE dailyentry_id = NEW.id;
    UPDATE tracker_dailyentry_intimacy_barriers SET user_id = NEW.user_id, day = NEW.day
    WHERE dailyentry_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER tracker_dailyentry_moves_links
    AFTER UPDATE OF user_id, day ON tracker_dailyentry
    FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.day IS DISTINCT FROM NEW.day)
    EXECUTE FUNCTION tracker_entry_moves_links();
"""

DROP_TRIGGERS = """
DROP TRIGGER tracker_dailyentry_moves_links ON tracker_dailyentry;
DROP FUNCTION tracker_entry_moves_links();
DROP TRIGGER tracker_dailyentry_intimacy_barriers_copy_entry ON tracker_dailyentry_intimacy_barriers;
DROP TRIGGER tracker_dailyentry_symptoms_copy_entry ON tracker_dailyentry_symptoms;
DROP FUNCTION tracker_link_copies_entry();
"""


def backfill(apps, schema_editor) -> None:
    # One pass over each table; SQLite (development only) understands UPDATE ... FROM too.
    for table, _ in LINK_TABLES.values():
        schema_editor.execute(
            f"UPDATE {table} SET user_id = entry.user_id, day = entry.day "
            "FROM tracker_dailyentry AS entry WHERE entry.id = {table}.dailyentry_id".replace(
                "{table}", table
            )
        )


def create_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def drop_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS)


def item_indexes(db_index: bool) -> list:
    """The index of each link's symptom (or barrier) id, on or off."""
    return [
        migrations.AlterField(
            model_name=model_name,
            name=item,
            field=models.ForeignKey(
                db_index=db_index,
                on_delete=django.db.models.deletion.CASCADE,
                to=f"tracker.{item}",
            ),
        )
        for model_name, (_, item) in LINK_TABLES.items()
    ]


def unique_links(unique: bool) -> list:
    """Each item at most once a day (the constraint the plain many-to-many tables had), or not."""
    return [
        migrations.AlterUniqueTogether(
            name=model_name, unique_together={("dailyentry", item)} if unique else set()
        )
        for model_name, (_, item) in LINK_TABLES.items()
    ]


def link_fields(null: bool) -> list:
    return [
        migrations.AlterField(
            model_name=model_name,
            name="user",
            field=models.ForeignKey(
                db_index=False,
                null=null,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        )
        for model_name in LINK_TABLES
    ] + [
        migrations.AlterField(model_name=model_name, name="day", field=models.DateField(null=null))
        for model_name in LINK_TABLES
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_encrypt_notes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EntrySymptom",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "dailyentry",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="tracker.dailyentry"
                            ),
                        ),
                        (
                            "symptom",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="tracker.symptom"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "tracker_dailyentry_symptoms",
                        "unique_together": {("dailyentry", "symptom")},
                    },
                ),
                migrations.CreateModel(
                    name="EntryIntimacyBarrier",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "dailyentry",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="tracker.dailyentry"
                            ),
                        ),
                        (
                            "intimacybarrier",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="tracker.intimacybarrier",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "tracker_dailyentry_intimacy_barriers",
                        "unique_together": {("dailyentry", "intimacybarrier")},
                    },
                ),
                migrations.AlterField(
                    model_name="dailyentry",
                    name="symptoms",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="entries",
                        through="tracker.EntrySymptom",
                        to="tracker.symptom",
                    ),
                ),
                migrations.AlterField(
                    model_name="dailyentry",
                    name="intimacy_barriers",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="entries",
                        through="tracker.EntryIntimacyBarrier",
                        to="tracker.intimacybarrier",
                        verbose_name="what held you back",
                    ),
                ),
            ],
        ),
        # Updating every row would also update every index, row by row: dropping the indexes
        # first and building them again after the fill is several times quicker on big tables.
        # The index on the entry id alone goes for good, as the unique (entry, item) index
        # serves the same lookups.
        *unique_links(False),
        *item_indexes(False),
        *[
            migrations.AlterField(
                model_name=model_name,
                name="dailyentry",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    to="tracker.dailyentry",
                ),
            )
            for model_name in LINK_TABLES
        ],
        *[
            migrations.AddField(
                model_name=model_name,
                name="user",
                field=models.ForeignKey(
                    db_index=False,
                    null=True,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            )
            for model_name in LINK_TABLES
        ],
        *[
            migrations.AddField(
                model_name=model_name, name="day", field=models.DateField(null=True)
            )
            for model_name in LINK_TABLES
        ],
        migrations.RunPython(backfill, migrations.RunPython.noop),
        *link_fields(null=False),
        *item_indexes(True),
        *unique_links(True),
        migrations.AddIndex(
            model_name="entrysymptom",
            index=models.Index(fields=["user", "day", "symptom"], name="entry_symptom_user_day"),
        ),
        migrations.AddIndex(
            model_name="entryintimacybarrier",
            index=models.Index(
                fields=["user", "day", "intimacybarrier"], name="entry_barrier_user_day"
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

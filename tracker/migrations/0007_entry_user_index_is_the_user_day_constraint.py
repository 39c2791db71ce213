import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The index Django made for the foreign key (the same name on PostgreSQL and SQLite).
USER_INDEX = "tracker_dailyentry_user_id_f0b13d1e"


class Migration(migrations.Migration):
    """DailyEntry.user loses its own index: the (user, day) unique constraint's index serves
    every lookup by person. Only the index is dropped: AlterField would also drop and re-add
    the foreign key, re-checking every row of the largest table while holding its lock."""

    dependencies = [
        ("tracker", "0006_entry_links_carry_user_and_day"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dailyentry",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{USER_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{USER_INDEX}" ON "tracker_dailyentry" ("user_id")',
                ),
            ],
        ),
    ]

from django.db import migrations, models

from tracker.catalogue import INTIMATE_SYMPTOMS


def mark_intimate_symptoms(apps, schema_editor):
    """The shared catalogue's sexual-health symptoms; a person's own symptoms stay not intimate."""
    Symptom = apps.get_model("tracker", "Symptom")
    Symptom.objects.filter(owner=None, name__in=INTIMATE_SYMPTOMS).update(intimate=True)


class Migration(migrations.Migration):
    """Symptoms learn whether they are intimate, so discreet mode can hide exactly those. A
    constant default adds the column without rewriting the table (PostgreSQL 11 and later)."""

    dependencies = [("tracker", "0007_entry_user_index_is_the_user_day_constraint")]

    operations = [
        migrations.AddField(
            model_name="symptom",
            name="intimate",
            field=models.BooleanField(
                default=False,
                help_text="A sexual-health symptom: it is shown with the intimacy answers, so "
                "discreet mode hides it with them.",
            ),
        ),
        migrations.RunPython(mark_intimate_symptoms, migrations.RunPython.noop),
    ]

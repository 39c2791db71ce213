from django.db import migrations

from accounts.catalogue import CONDITIONS


def load_conditions(apps, schema_editor):
    Condition = apps.get_model("accounts", "Condition")
    for position, (slug, name) in enumerate(CONDITIONS):
        Condition.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load_conditions, migrations.RunPython.noop)]

from django.db import migrations

from tracker.catalogue import INTIMACY_BARRIERS, SYMPTOMS


def load_catalogues(apps, schema_editor):
    IntimacyBarrier = apps.get_model("tracker", "IntimacyBarrier")
    Symptom = apps.get_model("tracker", "Symptom")
    for position, (slug, name) in enumerate(INTIMACY_BARRIERS):
        IntimacyBarrier.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    for position, name in enumerate(SYMPTOMS):
        Symptom.objects.update_or_create(owner=None, name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]

    operations = [migrations.RunPython(load_catalogues, migrations.RunPython.noop)]

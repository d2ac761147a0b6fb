from django.db import migrations

from jingzhun.identification.defaults import DIFFICULTY_TYPES


def seed(apps, schema_editor):
    DifficultyType = apps.get_model("identification", "DifficultyType")
    for code, name, description, sensitivity in DIFFICULTY_TYPES:
        DifficultyType.objects.update_or_create(
            code=code,
            defaults={"name": name, "description": description, "sensitivity": sensitivity},
        )


class Migration(migrations.Migration):
    dependencies = [("identification", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

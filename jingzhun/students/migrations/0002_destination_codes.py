from django.db import migrations

from jingzhun.students.reference import DESTINATION_CODES


def seed_codes(apps, schema_editor):
    DestinationCode = apps.get_model("students", "DestinationCode")
    for code, name, category in DESTINATION_CODES:
        DestinationCode.objects.update_or_create(
            code=code, defaults={"name": name, "category": category}
        )


class Migration(migrations.Migration):
    dependencies = [("students", "0001_initial")]

    operations = [migrations.RunPython(seed_codes, migrations.RunPython.noop)]

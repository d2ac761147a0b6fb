from django.db import migrations

# Written out rather than read from defaults.py, so that this migration stays what it was.
CODE, NAME = "model_risk", "综合风险"
DESCRIPTION = "风险模型预测毕业时未落实去向的可能性高，原因见识别依据"


def seed(apps, schema_editor):
    DifficultyType = apps.get_model("identification", "DifficultyType")
    DifficultyType.objects.update_or_create(
        code=CODE, defaults={"name": NAME, "description": DESCRIPTION, "sensitivity": ""}
    )


class Migration(migrations.Migration):
    dependencies = [("identification", "0003_risk_model")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

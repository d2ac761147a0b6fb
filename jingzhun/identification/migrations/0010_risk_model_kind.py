from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("identification", "0009_rule_name_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="riskmodel",
            name="kind",
            field=models.CharField(
                choices=[
                    ("lightgbm", "Boosted trees (LightGBM)"),
                    ("linear", "Logistic regression"),
                ],
                default="lightgbm",
                max_length=10,
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="riskmodel",
            name="training",
            field=models.CharField(blank=True, default="", max_length=60, verbose_name="training"),
        ),
        migrations.AddField(
            model_name="riskmodel",
            name="recommended",
            field=models.BooleanField(default=False, verbose_name="recommended"),
        ),
    ]

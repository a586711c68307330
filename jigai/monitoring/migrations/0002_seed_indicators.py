"""Seed the indicators of 豫政办〔2022〕8号 一（二） and 二（一）-（四） from data/indicators.json."""

from django.db import migrations


def seed(apps, schema_editor):
    from jigai.monitoring.loader import load_indicators

    load_indicators(apps.get_model("monitoring", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Data migration: every database (including each test database) starts with the Henan region tree,
read from jigai/regions/data/henan_regions.csv. `jigai load_regions` applies later edits of the file."""

from django.db import migrations


def load(apps, schema_editor):
    from jigai.regions.loader import sync_regions

    sync_regions(apps.get_model("regions", "Region"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    # Reversing keeps the rows: users and enterprises point at them (PROTECT).
    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]

"""The four audiences of the public site (fixed rows; their names are translated in code)."""

from django.db import migrations

AUDIENCES = ("public", "users", "policy", "overseas")


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    Audience = apps.get_model("outreach", "Audience")
    for order, code in enumerate(AUDIENCES, start=1):
        Audience.objects.update_or_create(code=code, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

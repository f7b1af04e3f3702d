"""Default research fields (panels are organised by field). Staff may add or rename them in
the admin; this list follows the broad fields synchrotron user programmes review by."""

from django.db import migrations

FIELDS = [
    ("life_science", "生命科学", "Life science"),
    ("materials_structure", "物質科学（構造）", "Materials science (structure)"),
    ("materials_electronic", "物質科学（電子状態・磁性）", "Materials science (electronic and magnetic)"),
    ("chemistry", "化学", "Chemistry"),
    ("earth_environment", "地球惑星・環境科学", "Earth, planetary and environmental science"),
    ("industrial", "産業利用", "Industrial applications"),
    ("instrumentation", "装置・方法論", "Instrumentation and methods"),
]


def create(apps, schema_editor):
    ResearchField = apps.get_model("proposals", "ResearchField")
    for order, (code, ja, en) in enumerate(FIELDS):
        ResearchField.objects.get_or_create(
            code=code, defaults={"name_ja": ja, "name_en": en, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

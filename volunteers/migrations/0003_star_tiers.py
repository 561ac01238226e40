from django.db import migrations

# Shanghai's volunteer service star tiers (上海志愿者星级认定), by cumulative verified hours.
TIERS = [(1, "一星志愿者", 100), (2, "二星志愿者", 300), (3, "三星志愿者", 600),
         (4, "四星志愿者", 1000), (5, "五星志愿者", 1500)]  # fmt: skip


def add_tiers(apps, schema_editor):
    StarTier = apps.get_model("volunteers", "StarTier")
    for stars, name, hours in TIERS:
        StarTier.objects.get_or_create(stars=stars, defaults={"name": name, "min_hours": hours})


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0002_shifts_hours_recognitions")]

    operations = [migrations.RunPython(add_tiers, migrations.RunPython.noop)]

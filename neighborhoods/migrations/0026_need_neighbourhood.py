"""Need.neighbourhood: the household's, stored, with an index on (neighbourhood, status), so
that a neighbourhood's open needs (the needs list, the staff home) are one index range rather
than a probe of each of its households (1,668 for 16 needs at district scale)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Need, Household = (
        apps.get_model("neighborhoods", "Need"),
        apps.get_model("neighborhoods", "Household"),
    )
    of_household = Household.objects.filter(pk=OuterRef("household_id")).values(
        "building__neighbourhood_id"
    )
    Need.objects.update(neighbourhood_id=Subquery(of_household[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("neighborhoods", "0025_household_last_visit"),
    ]

    operations = [
        migrations.AddField(
            model_name="need",
            name="neighbourhood",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="needs",
                to="neighborhoods.neighbourhood",
                verbose_name="neighbourhood",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="need",
            name="neighbourhood",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="needs",
                to="neighborhoods.neighbourhood",
                verbose_name="neighbourhood",
            ),
        ),
        migrations.AddIndex(
            model_name="need",
            index=models.Index(
                fields=["neighbourhood", "status"], name="need_neighbourhood_status"
            ),
        ),
    ]

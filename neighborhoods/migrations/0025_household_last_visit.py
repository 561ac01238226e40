"""Household.last_visit: the newest visit's time, stored (kept by Visit.save and delete) so
that the overdue list, the coverage and the map stop reading the visits of every household
of a zone (5 million visits at district scale)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Household, Visit = (
        apps.get_model("neighborhoods", "Household"),
        apps.get_model("neighborhoods", "Visit"),
    )
    newest = Visit.objects.filter(household=OuterRef("pk")).order_by("-when").values("when")
    Household.objects.update(last_visit=Subquery(newest[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("neighborhoods", "0024_activity_ends_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="last_visit",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last visit"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]

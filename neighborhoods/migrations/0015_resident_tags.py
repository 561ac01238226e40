"""Seed the 社区云 tag dictionary (admins edit it afterwards in Django admin)."""

from django.db import migrations

# (name, sensitive, description). Sensitive: health, benefits, family loss, entitlements.
TAGS = [
    ("高龄", False, "80岁及以上"),
    ("独居", False, "一人居住"),
    ("空巢", False, "子女不在身边"),
    ("人户分离", False, "户籍与实际居住地不一致"),
    ("租户", False, "租住本户"),
    ("党员", False, "中共党员"),
    ("志愿者", False, "社区志愿者"),
    ("残疾", True, "持残疾人证"),
    ("低保", True, "最低生活保障对象"),
    ("优抚", True, "优抚对象（退役军人、烈属等）"),
    ("失独", True, "独生子女死亡家庭"),
    ("重病", True, "患重大疾病"),
]


def seed(apps, schema_editor):
    ResidentTag = apps.get_model("neighborhoods", "ResidentTag")
    for name, sensitive, description in TAGS:
        ResidentTag.objects.get_or_create(
            name=name, defaults={"sensitive": sensitive, "description": description}
        )


def unseed(apps, schema_editor):
    ResidentTag = apps.get_model("neighborhoods", "ResidentTag")
    ResidentTag.objects.filter(name__in=[t[0] for t in TAGS], residents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("neighborhoods", "0014_register_upkeep")]

    operations = [migrations.RunPython(seed, unseed)]

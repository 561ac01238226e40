"""Spreadsheet import and export of reference data in Django admin (django-import-export).

District admins keep the centres and the worker profiles in the same spreadsheets they
already use: every change list has 导入 / 导出 buttons, an import shows a preview of what
would change and writes nothing until confirmed (the library's two steps). Rows are matched
by a natural key (a centre's name, a worker's account name), so importing a file twice
changes nothing; places are named, not numbered.
"""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from portal.models import User

from ..models import (
    Centre,
    CommunityWorker,
    Neighbourhood,
    RosterWorker,
    SocialOrganisation,
    Subdistrict,
)


def named(model, column, attribute=None, field="name"):
    return fields.Field(
        attribute=attribute or column,
        column_name=column,
        widget=ForeignKeyWidget(model, field),
    )


class CentreResource(resources.ModelResource):
    subdistrict = named(Subdistrict, "subdistrict")
    organisation = named(SocialOrganisation, "organisation")

    class Meta:
        model = Centre
        import_id_fields = ["name"]
        fields = ["name", "subdistrict", "address", "hours", "phone", "organisation", "operator"]
        skip_unchanged = True
        report_skipped = True


class CommunityWorkerResource(resources.ModelResource):
    user = named(User, "user", field="username")
    neighbourhood = named(Neighbourhood, "neighbourhood")

    class Meta:
        model = CommunityWorker
        import_id_fields = ["user"]
        fields = [
            "user",
            "neighbourhood",
            "position",
            "birth_year",
            "education",
            "social_work_certificate",
            "start_year",
            "active",
        ]
        skip_unchanged = True
        report_skipped = True


class RosterWorkerResource(resources.ModelResource):
    subdistrict = named(Subdistrict, "subdistrict")

    class Meta:
        model = RosterWorker
        fields = [
            "id",
            "subdistrict",
            "neighbourhood_name",
            "birth_year",
            "education",
            "social_work_certificate",
            "start_year",
        ]
        skip_unchanged = True
        report_skipped = True

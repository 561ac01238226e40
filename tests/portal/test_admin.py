"""Django admin: every registered model opens for the district admin, search works."""

import pytest
from django.contrib import admin as django_admin
from django.urls import reverse

from neighborhoods.models import Centre, CentreStaff, LinkRequest
from portal.models import AccessLog

pytestmark = pytest.mark.django_db

REGISTERED = sorted(django_admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def filled(admin, resident, dhg_household, stranger, huyun, gjxc_household):
    """One or more rows in every foundation model, so changelists render real rows."""
    centre = Centre.objects.create(
        subdistrict=gjxc_household.building.neighbourhood.subdistrict, name="四平睦邻中心"
    )
    CentreStaff.objects.create(centre=centre, user=stranger, position="社工")
    LinkRequest.objects.create(
        user=stranger,
        neighbourhood=gjxc_household.building.neighbourhood,
        building="1号",
        room="302",
        name="周秀英",
    )
    AccessLog.objects.create(user=huyun, household=gjxc_household, path="/staff/")


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED]
)
def test_it_opens_the_changelist_and_add_page_of_every_model(
    login, admin, filled, model, model_admin
):
    client = login(admin)
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    add = client.get(admin_url(model, "add"))
    request = response.wsgi_request
    assert add.status_code == (200 if model_admin.has_add_permission(request) else 403)
    obj = model.objects.first()
    if obj is not None:
        assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize(
    ("model", "model_admin"),
    [(m, a) for m, a in REGISTERED if a.search_fields],
    ids=[m._meta.label for m, a in REGISTERED if a.search_fields],
)
def test_it_searches_every_changelist(login, admin, filled, model, model_admin):
    response = login(admin).get(admin_url(model, "changelist"), {"q": "1"})
    assert response.status_code == 200


AUTOCOMPLETES = [
    (model, field) for model, model_admin in REGISTERED for field in model_admin.autocomplete_fields
] + [
    (inline.model, field)
    for model, model_admin in REGISTERED
    for inline in model_admin.inlines
    for field in getattr(inline, "autocomplete_fields", [])
]


@pytest.mark.parametrize(
    ("model", "field"), AUTOCOMPLETES, ids=[f"{m._meta.label}.{f}" for m, f in AUTOCOMPLETES]
)
def test_it_autocompletes_every_foreign_key(login, admin, filled, model, field):
    """The target's admin must have search_fields, or the autocomplete answers 403/500."""
    response = login(admin).get(
        "/admin/autocomplete/",
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
            "term": "",
        },
    )
    assert response.status_code == 200, response.content[:300]
    assert "results" in response.json()


def test_it_autocompletes_households_by_resident_name(login, admin, filled):
    response = login(admin).get(
        "/admin/autocomplete/",
        {
            "app_label": "neighborhoods",
            "model_name": "resident",
            "field_name": "household",
            "term": "周秀英",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["1号 302室"]


def test_it_keeps_the_admin_from_committee_staff(login, huyun):
    response = login(huyun).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_keeps_the_access_log_read_only_even_for_the_superuser(login, admin, filled):
    """The record of who opened personal data cannot be edited or deleted, not even by admins."""
    record = AccessLog.objects.get()
    client = login(admin)
    page = client.get(admin_url(AccessLog, "change", record.pk))
    assert page.status_code == 200
    assert 'name="path"' not in page.content.decode()
    changed = client.post(admin_url(AccessLog, "change", record.pk), {"path": "/forged/"})
    assert changed.status_code == 403
    deleted = client.post(admin_url(AccessLog, "delete", record.pk), {"post": "yes"})
    assert deleted.status_code == 403
    bulk = client.post(
        admin_url(AccessLog, "changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    record.refresh_from_db()
    assert record.path == "/staff/"


def test_it_names_what_was_opened_in_the_access_log(login, admin, filled):
    response = login(admin).get(admin_url(AccessLog, "changelist"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<td class="field-action">household page</td>' in response.content.decode()

"""A post that fails or is refused after storing photos leaves no file behind.

Photos are written to private storage when their field is saved, before the row's INSERT;
a rollback undoes the rows only. portal.files.atomic_with_files takes the files back.
"""

import os

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from neighborhoods.care.services import need_raise, visit_log
from notices.hall.services import suggestion_create, topic_create
from notices.models import Suggestion, Topic, TopicImage
from portal.exceptions import Refused
from portal.images import process_image
from tests.notices.topic_fixtures import png_upload

pytestmark = pytest.mark.django_db


def private_files():
    root = settings.PRIVATE_MEDIA_ROOT
    return {os.path.join(d, n) for d, _, names in os.walk(root) for n in names}


def fail_on_insert(monkeypatch, model, after=0):
    """The model's save() raises a database error, after `after` saves that succeed."""
    real, calls = model.save, []

    def save(self, *args, **kwargs):
        calls.append(1)
        if len(calls) > after:
            raise DatabaseError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(model, "save", save)


def test_a_suggestion_whose_insert_fails_leaves_no_photo(monkeypatch, resident, topic):
    before = private_files()
    fail_on_insert(monkeypatch, Suggestion)
    with pytest.raises(DatabaseError):
        suggestion_create(topic=topic, author=resident, text="多种月季", photo=png_upload())
    assert private_files() == before


def test_a_topic_whose_third_photo_fails_leaves_none_of_them(monkeypatch, places, huyun):
    before = private_files()
    fail_on_insert(monkeypatch, TopicImage, after=2)
    with pytest.raises(DatabaseError):
        topic_create(
            neighbourhood=places["gjxc"],
            opened_by=huyun,
            title="花园怎么修",
            background="请大家出主意。",
            deadline=timezone.localdate(),
            images=[png_upload(f"p{i}.png") for i in range(3)],
        )
    assert private_files() == before
    assert not Topic.objects.exists()


def test_a_visit_whose_need_fails_leaves_no_need_photo(monkeypatch, huyun, gjxc_household):
    """Nested: the need's photo is saved by need_raise inside visit_log's block."""
    from neighborhoods.models import NeedAction

    before = private_files()
    fail_on_insert(monkeypatch, NeedAction)
    need = {
        "category": "housing",
        "description": "楼道灯坏了",
        "photo": process_image(png_upload())[0],
    }
    with pytest.raises(DatabaseError):
        visit_log(
            household=gjxc_household,
            staff=huyun,
            when=gjxc_household.created,
            kind="care",
            met="本人",
            notes="",
            needs=[need],
        )
    assert private_files() == before


def test_a_successful_need_keeps_its_photo(huyun, gjxc_household):
    before = private_files()
    need = need_raise(
        household=gjxc_household,
        by=huyun,
        via="staff",
        category="housing",
        description="楼道灯坏了",
        photo=process_image(png_upload())[0],
    )
    assert private_files() - before == {os.path.join(settings.PRIVATE_MEDIA_ROOT, need.photo.name)}


def test_a_suggestion_to_a_topic_closed_meanwhile_is_refused_and_stores_nothing(resident, topic):
    """The page showed an open topic; staff closed it before the tap reached the server."""
    stale = Topic.objects.get(pk=topic.pk)
    Topic.objects.filter(pk=topic.pk).update(status=Topic.Status.CLOSED)
    before = private_files()
    with pytest.raises(Refused):
        suggestion_create(topic=stale, author=resident, text="多种月季", photo=png_upload())
    assert private_files() == before
    assert not Suggestion.objects.exists()


def test_a_refused_suggestion_post_with_a_photo_leaves_no_file(login, resident, topic):
    topic.status = Topic.Status.CLOSED
    topic.save(update_fields=["status"])
    before = private_files()
    response = login(resident).post(
        f"/topics/{topic.pk}/suggest/", {"text": "多种一些月季", "photo": png_upload()}
    )
    assert response.status_code in (302, 403)
    assert private_files() == before
    assert not Suggestion.objects.exists()

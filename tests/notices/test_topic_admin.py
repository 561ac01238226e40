"""Admin for the discussion hall and guides: every list and form opens; uploads are cleaned."""

import io

import pytest
from PIL import Image

from notices.models import GuideQuestion, Reply, Support
from tests.notices.topic_fixtures import png_upload


@pytest.mark.parametrize(
    "model", ["topic", "suggestion", "support", "reply", "guide", "guidequestion"]
)
def test_it_opens_the_admin_list_and_forms(login, admin, suggestion, guide, model):
    Support.objects.create(suggestion=suggestion, user=admin)
    Reply.objects.create(suggestion=suggestion, author=admin, text="谢谢")
    GuideQuestion.objects.create(guide=guide, asker=admin, text="怎么申请？")
    client = login(admin)
    assert client.get(f"/admin/notices/{model}/").status_code == 200
    assert client.get(f"/admin/notices/{model}/add/").status_code == 200


def test_it_strips_exif_from_a_photo_uploaded_in_the_admin(login, admin, suggestion):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    Image.new("RGB", (40, 30), "blue").save(buffer, "JPEG", exif=exif)
    upload = png_upload("p.jpg")
    upload.file = io.BytesIO(buffer.getvalue())
    upload.size = len(buffer.getvalue())
    response = login(admin).post(
        f"/admin/notices/suggestion/{suggestion.pk}/change/",
        {
            "topic": suggestion.topic_id,
            "author": suggestion.author_id,
            "text": suggestion.text,
            "photo": upload,
            "hidden_reason": "",
            "replies-TOTAL_FORMS": "0",
            "replies-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    suggestion.refresh_from_db()
    assert suggestion.thumbnail
    with Image.open(suggestion.photo.path) as stored:
        assert not stored.getexif()

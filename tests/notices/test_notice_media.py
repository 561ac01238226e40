"""Uploads of the notices app live in private storage and are served only through views that
check the same rule as their page (views_media.py): notice images and PDFs follow the notice
page, topic images the topic page, suggestion photos the suggestion's place on that page."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from notices.models import NoticeAttachment, NoticeImage, Suggestion, TopicImage
from tests.images import image_bytes
from tests.notices.notice_fixtures import make_notice
from tests.notices.topic_fixtures import make_topic

FULL = image_bytes("JPEG", size=(90, 60), color="navy")
THUMB = image_bytes("JPEG", size=(30, 20), color="orange")
PDF = b"%PDF-1.4\n%%EOF\n"
FILE_FIELDS = {
    NoticeImage: ["image", "thumbnail"],
    NoticeAttachment: ["file"],
    TopicImage: ["image", "thumbnail"],
    Suggestion: ["photo", "thumbnail"],
}


@pytest.fixture(autouse=True)
def remove_files_afterwards(db):
    """The private folder of the test settings is shared: remove what each test stored."""
    yield
    for model, fields in FILE_FIELDS.items():
        for row in model.objects.all():
            for name in fields:
                stored = getattr(row, name)
                if stored:
                    stored.storage.delete(stored.name)


def add_image(notice):
    image = NoticeImage(notice=notice, caption="水箱")
    image.image.save("full.jpg", ContentFile(FULL), save=False)
    image.thumbnail.save("full-thumb.jpg", ContentFile(THUMB), save=False)
    image.save()
    return image


def add_attachment(notice, title="施工图"):
    attachment = NoticeAttachment(notice=notice, title=title, size=len(PDF))
    attachment.file.save("random.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return attachment


def notice_urls(image, attachment):
    return {
        image.get_absolute_url(): (FULL, "image/jpeg"),
        image.thumbnail_url: (THUMB, "image/jpeg"),
        attachment.get_absolute_url(): (PDF, "application/pdf"),
    }


def with_files(notice):
    return notice_urls(add_image(notice), add_attachment(notice))


def body(response):
    return b"".join(response.streaming_content)


def assert_served(response, data, content_type):
    assert response.status_code == 200
    assert body(response) == data
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def users(resident, huyun, yangying, stranger, admin, other_resident):
    return {
        "resident": resident,
        "huyun": huyun,
        "yangying": yangying,
        "stranger": stranger,
        "admin": admin,
        "other_resident": other_resident,
    }


def client_for(who, users, client, login):
    return client if who == "anonymous" else login(users[who])


# Notice images and attachments


def test_it_serves_a_public_notice_image_thumbnail_and_pdf_to_anyone(client, gjxc_notice):
    image, attachment = add_image(gjxc_notice), add_attachment(gjxc_notice)
    assert image.get_absolute_url() == f"/notices/{gjxc_notice.pk}/images/{image.pk}/"
    assert image.thumbnail_url == f"/notices/{gjxc_notice.pk}/images/{image.pk}/thumb/"
    assert attachment.get_absolute_url() == (
        f"/notices/{gjxc_notice.pk}/attachments/{attachment.pk}/"
    )
    for url, (data, content_type) in notice_urls(image, attachment).items():
        assert_served(client.get(url), data, content_type)


def test_it_names_the_pdf_download_after_its_title(client, gjxc_notice):
    chinese = add_attachment(gjxc_notice, title="施工图")
    plain = add_attachment(gjxc_notice, title='plan "B"/2')
    response = client.get(chinese.get_absolute_url())
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E6%96%BD%E5%B7%A5%E5%9B%BE.pdf"
    )
    response = client.get(plain.get_absolute_url())
    assert response["Content-Disposition"] == 'attachment; filename="plan \\"B\\"-2.pdf"'
    assert body(response) == PDF


@pytest.mark.parametrize("who", ["resident", "huyun", "admin"])
def test_it_serves_a_residents_only_notices_files_to_its_residents_and_staff(
    who, users, client, login, gjxc_private
):
    reader = client_for(who, users, client, login)
    for url, (data, content_type) in with_files(gjxc_private).items():
        assert_served(reader.get(url), data, content_type)


def test_it_asks_a_visitor_to_sign_in_for_a_residents_only_notices_files(client, gjxc_private):
    """As the notice page does (a QR code on a lobby poster leads there)."""
    page = client.get(gjxc_private.get_absolute_url())
    assert page.status_code == 302 and page.url.startswith("/accounts/login/")
    for url in with_files(gjxc_private):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/") and "next=" in response.url


@pytest.mark.parametrize("who", ["other_resident", "yangying", "stranger"])
def test_it_hides_a_residents_only_notices_files_from_others(
    who, users, client, login, gjxc_private
):
    other = client_for(who, users, client, login)
    assert other.get(gjxc_private.get_absolute_url()).status_code == 404
    for url in with_files(gjxc_private):
        assert other.get(url).status_code == 404


@pytest.mark.parametrize("when", ["scheduled", "expired"])
@pytest.mark.parametrize("who", ["anonymous", "resident", "yangying"])
def test_it_hides_files_of_unpublished_and_expired_notices(
    when, who, users, client, login, places, huyun
):
    now = timezone.now()
    if when == "scheduled":
        notice = make_notice(places["gjxc"], publish_at=now + datetime.timedelta(days=1))
    else:
        notice = make_notice(
            places["gjxc"],
            publish_at=now - datetime.timedelta(days=2),
            expires_at=now - datetime.timedelta(days=1),
        )
    urls = with_files(notice)
    reader = client_for(who, users, client, login)
    assert reader.get(notice.get_absolute_url()).status_code == 404
    for url in urls:
        assert reader.get(url).status_code == 404
    editor = login(huyun)  # who may edit it still sees it, as on the notice page
    for url, (data, content_type) in urls.items():
        assert_served(editor.get(url), data, content_type)


def test_it_404s_a_file_of_another_notice(client, places, gjxc_notice):
    other = make_notice(places["gjxc"], title="另一条通知")
    image, attachment = add_image(other), add_attachment(other)
    for url in [
        f"/notices/{gjxc_notice.pk}/images/{image.pk}/",
        f"/notices/{gjxc_notice.pk}/images/{image.pk}/thumb/",
        f"/notices/{gjxc_notice.pk}/attachments/{attachment.pk}/",
        f"/notices/{gjxc_notice.pk}/images/{attachment.pk + image.pk + 100}/",
    ]:
        assert client.get(url).status_code == 404


def test_it_404s_when_the_file_is_gone(client, gjxc_notice):
    """The record outlived its file (a restore, a cleanup): a 404, not a server error."""
    image, attachment = add_image(gjxc_notice), add_attachment(gjxc_notice)
    for stored in [image.image, image.thumbnail, attachment.file]:
        stored.storage.delete(stored.name)
    for url in notice_urls(image, attachment):
        assert client.get(url).status_code == 404


# Topic images


def add_topic_image(topic, with_thumbnail=True):
    image = TopicImage(topic=topic)
    image.image.save("garden.jpg", ContentFile(FULL), save=False)
    if with_thumbnail:
        image.thumbnail.save("garden-thumb.jpg", ContentFile(THUMB), save=False)
    image.save()
    return image


@pytest.mark.parametrize("who", ["anonymous", "resident", "other_resident", "yangying"])
def test_it_serves_topic_images_to_whoever_can_see_the_topic(who, users, client, login, topic):
    image = add_topic_image(topic)
    assert image.get_absolute_url() == f"/topics/{topic.pk}/images/{image.pk}/"
    assert image.thumbnail_url == f"/topics/{topic.pk}/images/{image.pk}/thumb/"
    reader = client_for(who, users, client, login)
    assert_served(reader.get(image.get_absolute_url()), FULL, "image/jpeg")
    assert_served(reader.get(image.thumbnail_url), THUMB, "image/jpeg")


def test_it_falls_back_to_the_full_topic_image_without_a_thumbnail(client, topic):
    image = add_topic_image(topic, with_thumbnail=False)
    assert image.thumbnail_url == image.get_absolute_url()
    thumb = f"/topics/{topic.pk}/images/{image.pk}/thumb/"
    assert_served(client.get(thumb), FULL, "image/jpeg")


def test_it_404s_a_topic_image_of_another_topic_or_a_missing_file(client, places, huyun, topic):
    other = add_topic_image(make_topic(places["gjxc"], huyun, title="楼道堆物怎么办"))
    assert client.get(f"/topics/{topic.pk}/images/{other.pk}/").status_code == 404
    assert client.get(f"/topics/{topic.pk}/images/{other.pk}/thumb/").status_code == 404
    assert client.get(f"/topics/{other.topic_id + 1000}/images/{other.pk}/").status_code == 404
    other.image.storage.delete(other.image.name)
    assert client.get(other.get_absolute_url()).status_code == 404


# Suggestion photos


def add_photo(suggestion):
    suggestion.photo.save("bench.jpg", ContentFile(FULL), save=False)
    suggestion.thumbnail.save("bench-thumb.jpg", ContentFile(THUMB), save=False)
    suggestion.save()
    return suggestion


def test_it_serves_a_visible_suggestions_photo_to_anyone(client, suggestion):
    add_photo(suggestion)
    assert suggestion.photo_url == f"/topics/suggestions/{suggestion.pk}/photo/"
    assert suggestion.thumbnail_url == f"/topics/suggestions/{suggestion.pk}/photo/thumb/"
    assert_served(client.get(suggestion.photo_url), FULL, "image/jpeg")
    assert_served(client.get(suggestion.thumbnail_url), THUMB, "image/jpeg")


@pytest.fixture
def hidden_suggestion(suggestion, huyun):
    add_photo(suggestion)
    suggestion.hide(by=huyun, reason="含有邻居的门牌号")
    return suggestion


@pytest.mark.parametrize("who", ["anonymous", "resident", "other_resident", "yangying", "stranger"])
def test_it_hides_a_hidden_suggestions_photo_from_others(
    who, users, client, login, hidden_suggestion
):
    other = client_for(who, users, client, login)
    page = other.get(f"/topics/{hidden_suggestion.topic_id}/").content.decode()
    assert hidden_suggestion.photo_url not in page  # the topic page does not show it either
    assert other.get(hidden_suggestion.photo_url).status_code == 404
    assert other.get(f"{hidden_suggestion.photo_url}thumb/").status_code == 404


@pytest.mark.parametrize("who", ["author", "huyun", "admin"])
def test_it_serves_a_hidden_suggestions_photo_to_its_author_and_staff(
    who, users, login, neighbour, hidden_suggestion
):
    reader = login(neighbour if who == "author" else users[who])
    page = reader.get(f"/topics/{hidden_suggestion.topic_id}/").content.decode()
    assert hidden_suggestion.thumbnail_url in page
    assert_served(reader.get(hidden_suggestion.photo_url), FULL, "image/jpeg")
    assert_served(reader.get(hidden_suggestion.thumbnail_url), THUMB, "image/jpeg")


def test_it_404s_a_suggestion_without_a_photo(client, suggestion):
    assert suggestion.photo_url == ""
    assert client.get(f"/topics/suggestions/{suggestion.pk}/photo/").status_code == 404
    assert client.get(f"/topics/suggestions/{suggestion.pk}/photo/thumb/").status_code == 404


# Everything


def test_it_refuses_other_methods(client, gjxc_notice, topic, suggestion):
    urls = [
        *with_files(gjxc_notice),
        add_topic_image(topic).get_absolute_url(),
        add_photo(suggestion).photo_url,
    ]
    for url in urls:
        assert client.post(url).status_code == 405


def test_it_stores_every_upload_outside_media_root(gjxc_notice, topic, suggestion):
    """No web server publishing MEDIA_ROOT can serve them: the files are elsewhere."""
    image, attachment = add_image(gjxc_notice), add_attachment(gjxc_notice)
    topic_image = add_topic_image(topic)
    add_photo(suggestion)
    rows = {NoticeImage: image, NoticeAttachment: attachment, TopicImage: topic_image}
    rows[Suggestion] = suggestion
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    public = Path(settings.MEDIA_ROOT).resolve()
    for model, fields in FILE_FIELDS.items():
        for name in fields:
            assert model._meta.get_field(name).storage is storages["private"]
            path = Path(getattr(rows[model], name).path).resolve()
            assert path.is_file()
            assert path.is_relative_to(private) and not path.is_relative_to(public)


def test_it_links_pages_to_the_checked_views_only(client, gjxc_notice, topic, suggestion):
    image, attachment = add_image(gjxc_notice), add_attachment(gjxc_notice)
    topic_image = add_topic_image(topic)
    add_photo(suggestion)
    detail = client.get(gjxc_notice.get_absolute_url()).content.decode()
    assert image.get_absolute_url() in detail and image.thumbnail_url in detail
    assert attachment.get_absolute_url() in detail
    listing = client.get(f"/notices/?neighbourhood={gjxc_notice.neighbourhood_id}")
    assert image.thumbnail_url in listing.content.decode()
    topic_page = client.get(f"/topics/{topic.pk}/").content.decode()
    assert topic_image.get_absolute_url() in topic_page and topic_image.thumbnail_url in topic_page
    assert suggestion.photo_url in topic_page and suggestion.thumbnail_url in topic_page
    for page in [detail, listing.content.decode(), topic_page]:
        assert settings.MEDIA_URL not in page


def test_it_builds_file_urls_without_queries(
    django_assert_num_queries, gjxc_notice, topic, suggestion
):
    """Lists show many thumbnails: their URLs come from ids already loaded, no query each."""
    add_image(gjxc_notice), add_attachment(gjxc_notice), add_topic_image(topic)
    add_photo(suggestion)
    image = NoticeImage.objects.get()
    attachment = NoticeAttachment.objects.get()
    topic_image = TopicImage.objects.get()
    loaded = Suggestion.objects.get()
    with django_assert_num_queries(0):
        urls = [
            image.get_absolute_url(),
            image.thumbnail_url,
            attachment.get_absolute_url(),
            topic_image.get_absolute_url(),
            topic_image.thumbnail_url,
            loaded.photo_url,
            loaded.thumbnail_url,
        ]
    assert all(urls)


def test_it_links_admin_previews_through_the_checked_views(login, admin, gjxc_notice, suggestion):
    image, attachment = add_image(gjxc_notice), add_attachment(gjxc_notice)
    add_photo(suggestion)
    staff = login(admin)
    notice_page = staff.get(f"/admin/notices/notice/{gjxc_notice.pk}/change/").content.decode()
    assert image.get_absolute_url() in notice_page and image.thumbnail_url in notice_page
    assert attachment.get_absolute_url() in notice_page
    page = staff.get(f"/admin/notices/suggestion/{suggestion.pk}/change/").content.decode()
    assert suggestion.photo_url in page and suggestion.thumbnail_url in page
    for text in [notice_page, page]:
        assert settings.MEDIA_URL not in text

"""Publishing and editing notices through the staff pages (multipart forms, no JavaScript)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from notices.board.forms import MAX_PDF_PAGES, validate_pdf
from notices.models import Notice, NoticeImage
from notices.models.notice import NOTICE_BODY_MAX
from tests.images import image_bytes, upload
from tests.pdfs import pdf_bytes

pytestmark = pytest.mark.django_db

CREATE = reverse("notices:notice-create")


def form_data(scope, **extra):
    data = {
        "scope": scope,
        "kind": "notice",
        "category": "water",
        "title": "二号楼水箱清洗通知",
        "body": "本周六清洗水箱。\n\n- 请提前储水",
        "audience": "public",
        "publish_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "expires_at": "",
    }
    data.update(extra)
    return data


def test_it_publishes_a_notice_with_images_for_committee_staff(login, places, huyun):
    client = login(huyun)
    photos = [upload(f"p{i}.jpg", image_bytes("JPEG", size=(900, 600))) for i in range(2)]
    data = form_data(f"neighbourhood:{places['gjxc'].pk}", images=photos, pinned="on")
    response = client.post(CREATE, data)
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    assert notice.neighbourhood == places["gjxc"] and notice.author == huyun and notice.pinned
    assert notice.body == "<p>本周六清洗水箱。</p><ul><li>请提前储水</li></ul>"
    assert notice.images.count() == 2
    image = notice.images.first()
    assert Image.open(image.thumbnail.path).width == 480
    page = client.get(notice.get_absolute_url()).content.decode()
    assert image.thumbnail_url in page and "/media/" not in page


def test_it_only_offers_committee_staff_their_own_neighbourhood(login, places, huyun):
    client = login(huyun)
    form = client.get(CREATE).context["form"]
    assert [key for key, _label in form.fields["scope"].choices] == [
        f"neighbourhood:{places['gjxc'].pk}"
    ]
    for scope in [f"district:{places['district'].pk}", f"neighbourhood:{places['dhg'].pk}"]:
        response = client.post(CREATE, form_data(scope))
        assert response.status_code == 400
        assert response.context["form"].errors["scope"]
    assert not Notice.objects.exists()


def test_it_lets_admins_publish_for_the_district_or_a_subdistrict(login, places, admin):
    client = login(admin)
    client.post(CREATE, form_data(f"district:{places['district'].pk}", title="全区通知"))
    siping = places["gjxc"].subdistrict
    client.post(CREATE, form_data(f"subdistrict:{siping.pk}", title="街道通知"))
    assert Notice.objects.get(title="全区通知").district == places["district"]
    assert Notice.objects.get(title="街道通知").subdistrict == siping


def test_it_shows_errors_and_keeps_what_was_typed(login, places, huyun):
    response = login(huyun).post(
        CREATE,
        form_data(
            f"neighbourhood:{places['gjxc'].pk}",
            title="",
            body="我写了很长的正文",
            publish_at="2030-05-01T09:00",
            expires_at="2030-04-01T09:00",
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "我写了很长的正文" in page and 'value="2030-05-01T09:00"' in page
    assert set(response.context["form"].errors) == {"title", "expires_at"}
    assert not Notice.objects.exists()


def test_it_refuses_a_fake_image_with_a_clear_message(login, places, huyun):
    data = form_data(
        f"neighbourhood:{places['gjxc'].pk}", images=[upload("x.jpg", b"%PDF-1.4 not a photo")]
    )
    response = login(huyun).post(CREATE, data)
    assert response.status_code == 400
    assert "x.jpg" in response.context["form"].errors["images"][0]
    assert not Notice.objects.exists()


def test_it_keeps_a_notice_to_nine_images(login, places, huyun, gjxc_notice):
    client = login(huyun)
    edit = reverse("notices:notice-edit", args=[gjxc_notice.pk])
    scope = f"neighbourhood:{places['gjxc'].pk}"
    first = [upload(f"{i}.png", image_bytes("PNG")) for i in range(8)]
    assert client.post(edit, form_data(scope, images=first)).status_code == 302
    more = [upload(f"m{i}.png", image_bytes("PNG")) for i in range(2)]
    response = client.post(edit, form_data(scope, images=more))
    assert response.status_code == 400
    assert gjxc_notice.images.count() == 8


def test_it_removes_chosen_images_when_editing(login, places, huyun, gjxc_notice):
    client = login(huyun)
    edit = reverse("notices:notice-edit", args=[gjxc_notice.pk])
    scope = f"neighbourhood:{places['gjxc'].pk}"
    client.post(edit, form_data(scope, images=[upload("a.png", image_bytes("PNG"))] * 1))
    image = NoticeImage.objects.get()
    response = client.post(edit, form_data(scope, title="改了标题", remove_images=[image.pk]))
    assert response.status_code == 302
    gjxc_notice.refresh_from_db()
    assert gjxc_notice.title == "改了标题" and not gjxc_notice.images.exists()


def test_it_schedules_a_notice_in_the_future(login, places, huyun, client):
    later = timezone.localtime() + datetime.timedelta(days=3)
    login(huyun).post(
        CREATE,
        form_data(
            f"neighbourhood:{places['gjxc'].pk}", publish_at=later.strftime("%Y-%m-%dT%H:%M")
        ),
    )
    notice = Notice.objects.get()
    assert notice.is_scheduled()
    client.logout()
    assert client.get(notice.get_absolute_url()).status_code == 404


def test_it_accepts_real_pdf_attachments_only(login, places, huyun):
    client = login(huyun)
    scope = f"neighbourhood:{places['gjxc'].pk}"
    fake = upload("施工图.pdf", b"GIF89a not a pdf", "application/pdf")
    response = client.post(CREATE, form_data(scope, attachments=[fake]))
    assert response.status_code == 400
    assert "施工图.pdf" in response.context["form"].errors["attachments"][0]
    real = upload("施工图.pdf", pdf_bytes(), "application/pdf")
    assert client.post(CREATE, form_data(scope, attachments=[real])).status_code == 302
    attachment = Notice.objects.get().attachments.get()
    assert attachment.title == "施工图" and attachment.size == len(pdf_bytes())
    page = client.get(Notice.objects.get().get_absolute_url()).content.decode()
    assert attachment.get_absolute_url() in page and "/media/" not in page


def test_it_explains_a_missing_or_double_scope_in_the_admin(login, places, admin):
    """The check constraint is also validated by the admin form: a message, not a 500."""
    client = login(admin)
    data = {
        "kind": "notice", "category": "other", "title": "两级范围", "body": "x",
        "audience": "public", "publish_at_0": "2026-01-01", "publish_at_1": "09:00",
        "district": places["district"].pk, "neighbourhood": places["gjxc"].pk,
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(reverse("admin:notices_notice_add"), data)
    assert response.status_code == 200
    assert not Notice.objects.exists()
    response_text = response.content.decode()
    assert "exactly one" in response_text or "只能选择一级" in response_text
    data.pop("district")
    assert client.post(reverse("admin:notices_notice_add"), data).status_code == 302
    assert Notice.objects.get().neighbourhood == places["gjxc"]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.4\n<html><script>alert(1)</script></html>", "not_a_pdf"),
        (b"%PDF-1.7\n" + b"0" * 2000, "not_a_pdf"),
        (pdf_bytes()[:200], "not_a_pdf"),  # a truncated download
        (pdf_bytes(pages=0), "pdf_pages"),
        (pdf_bytes(pages=MAX_PDF_PAGES + 1), "pdf_pages"),
    ],
)
def test_it_checks_a_pdf_beyond_its_first_bytes(data, code):
    """Finding 7: anything starting with %PDF- passed; now the file must parse (pypdf)."""
    with pytest.raises(ValidationError) as error:
        validate_pdf(upload("通知.pdf", data, "application/pdf"))
    assert error.value.code == code


def test_it_refuses_an_encrypted_pdf():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ValidationError) as error:
        validate_pdf(upload("加密.pdf", buffer.getvalue(), "application/pdf"))
    assert error.value.code == "pdf_encrypted"


def test_it_accepts_a_real_pdf():
    validate_pdf(upload("通知.pdf", pdf_bytes(pages=3), "application/pdf"))


def test_it_limits_the_length_of_a_notices_body(login, huyun, places):
    scope = f"neighbourhood:{places['gjxc'].pk}"
    data = form_data(scope)
    data["body"] = "很长" * (NOTICE_BODY_MAX // 2 + 1)
    response = login(huyun).post(CREATE, data)
    assert response.status_code == 400
    assert "body" in response.context["form"].errors
    assert not Notice.objects.exists()

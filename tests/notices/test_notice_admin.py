"""Admin for notices: uploads get the same treatment as on the staff pages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from notices.models import NoticeAttachment
from tests.notices.notice_fixtures import make_notice
from tests.pdfs import pdf_bytes


def test_it_stores_an_admin_attachment_under_a_random_pdf_name(login, admin, places):
    """A file that starts like a PDF but is named .html must not be stored as .html: the web
    server would serve it from /media/ as a page of this site (stored script)."""
    notice = make_notice(places["gjxc"], title="加装电梯方案")
    evil = SimpleUploadedFile("周秀英-方案.html", pdf_bytes(), "text/html")
    response = login(admin).post(
        "/admin/notices/noticeattachment/add/",
        {"notice": notice.pk, "file": evil, "title": "方案"},
    )
    assert response.status_code == 302
    stored = NoticeAttachment.objects.get(notice=notice).file.name
    assert stored.endswith(".pdf")
    assert ".html" not in stored and "周秀英" not in stored

"""Notices and news (通知公告 / 最新动态): list, one notice, poster, publishing, read receipts."""

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from neighborhoods.models import Household, Resident
from neighborhoods.register.forms import NeighbourhoodChoiceForm
from portal.files import private_file_response
from portal.pagecache import visitor_page

from ..models import Notice
from ..models.notice import user_neighbourhood_ids
from ..permissions import (
    can_edit,
    can_follow_reads,
    get_notice_for_editing,
    get_notice_for_reads,
    get_notice_for_user,
    publisher_required,
    residents_only_needs_sign_in,
    unread_households_page,
)
from .forms import FollowCategoriesForm, NoticeFilterForm, NoticeForm
from .services import (
    can_mark_read,
    follow_categories_set,
    followed_categories,
    has_read,
    notice_create,
    notice_mark_read,
    notice_update,
)

NOTICES_PER_PAGE = 20


@require_safe
@visitor_page
def notice_list(request):
    """What concerns me: my neighbourhood, subdistrict and district; visitors choose one."""
    home_ids = user_neighbourhood_ids(request.user)
    form = NoticeFilterForm(request.GET or None, choose_neighbourhood=not home_ids)
    notices = Notice.objects.visible_to(request.user)
    if home_ids:
        notices = notices.concerning_any(home_ids)
    if form.is_bound and form.is_valid():
        notices = form.filter(notices)
    page = Paginator(notices.for_list().ordered(), NOTICES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "now": timezone.now()}
    return render(request, "notices/notice_list.html", context, status=400 if form.errors else 200)


def _notice_or_sign_in(request, pk):
    """The notice, or (None, a sign-in redirect) for a visitor opening a residents-only one."""
    try:
        return get_notice_for_user(request.user, pk), None
    except Http404:
        if residents_only_needs_sign_in(request.user, pk):
            return None, redirect_to_login(request.get_full_path())
        raise


@require_safe
@visitor_page
def notice_detail(request, pk):
    notice, sign_in = _notice_or_sign_in(request, pk)
    if sign_in:
        return sign_in
    # Opening a notice (a GET) writes nothing: link previews, prefetching browsers and
    # crawlers follow links too. A resident confirms with the "已读" button (notice_read).
    context = {
        "notice": notice,
        "can_mark_read": can_mark_read(request.user),
        "has_read": has_read(notice, request.user),
        "images": notice.images.all(),
        "attachments": notice.attachments.all(),
        "can_edit": can_edit(request.user, notice),
        "can_follow_reads": can_follow_reads(request.user, notice),
        "now": timezone.now(),
    }
    return render(request, "notices/notice_detail.html", context)


@require_POST
@login_required
def notice_read(request, pk):
    """The resident's "已读": counted once (a unique row), then back to the notice."""
    notice, sign_in = _notice_or_sign_in(request, pk)
    if sign_in:
        return sign_in
    notice_mark_read(notice=notice, user=request.user)
    if can_mark_read(request.user):
        messages.success(request, _("Marked as read. Thank you."))
    return redirect(notice.get_absolute_url())


def _qr_svg(url):
    """The QR code as inline SVG markup (qrcode draws it; no image file, no script)."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    # Markup made by the library from our own URL, not from user input.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308


@require_safe
def notice_poster(request, pk):
    """An A4 page for building lobbies: large type, and a QR code back to the online notice."""
    notice, sign_in = _notice_or_sign_in(request, pk)
    if sign_in:
        return sign_in
    url = settings.SITE_URL.rstrip("/") + notice.get_absolute_url()
    context = {"notice": notice, "url": url, "qr_svg": _qr_svg(url)}
    return render(request, "notices/notice_poster.html", context)


def _save_notice(request, form, notice=None):
    data = form.cleaned_data
    fields = {name: data[name] for name in NoticeForm.Meta.fields}
    uploads = {"images": data.get("images") or [], "attachments": data.get("attachments") or []}
    if notice is None:
        return notice_create(author=request.user, scope=data["scope"], fields=fields, **uploads)
    return notice_update(
        notice=notice, scope=data["scope"], fields=fields,
        remove_images=data.get("remove_images") or [], **uploads,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@publisher_required
def notice_create_view(request):
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        notice = _save_notice(request, form)
        messages.success(request, _("The notice is saved."))
        return redirect(notice)
    status = 400 if form.errors else 200
    return render(request, "notices/notice_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@publisher_required
def notice_edit(request, pk):
    notice = get_notice_for_editing(request.user, pk)
    form = NoticeForm(
        request.POST or None, request.FILES or None, instance=notice, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save_notice(request, form, notice)
        except ValidationError as error:  # another editor added images meanwhile
            form.add_error("images", error)
        else:
            messages.success(request, _("The notice is saved."))
            return redirect(notice)
    status = 400 if form.errors else 200
    context = {"form": form, "notice": notice}
    return render(request, "notices/notice_form.html", context, status=status)


def _reads_area(user, notice):
    """Neighbourhoods whose residents the viewer follows up: admins all of the scope,
    committee staff their own neighbourhood (which the notice concerns)."""
    neighbourhoods = notice.scope_neighbourhoods()
    if not user.is_district_admin:
        neighbourhoods = neighbourhoods.filter(pk=user.worker.neighbourhood_id)
    return neighbourhoods


@require_safe
@publisher_required
def notice_reads(request, pk):
    """How many residents with accounts have read it, and which households of my zone have not
    (so that staff can tell elderly neighbours in person)."""
    notice = get_notice_for_reads(request.user, pk)
    area = _reads_area(request.user, notice)
    # A district admin follows a notice of several neighbourhoods up one at a time (the
    # district's 500,000 households unread, sorted, and counted took half a second).
    choice = None
    if request.user.is_district_admin and area.count() > 1:
        choice = NeighbourhoodChoiceForm(request.GET or None, user=request.user)
        choice.fields["neighbourhood"].queryset = area
        chosen = choice.chosen() or area.first()
        if not choice.is_bound:
            choice.initial["neighbourhood"] = chosen
        area = area.filter(pk=chosen.pk)
    with_accounts = Resident.objects.present().filter(
        user__isnull=False, household__building__neighbourhood__in=area
    )
    households = Household.objects.filter(building__neighbourhood__in=area)
    worker = request.user.worker
    in_zone = bool(worker and worker.zones.exists())
    if in_zone:
        households = households.filter(building__zone__worker=worker)
    # Only someone who lives there now counts: a moved-out member's account reading it
    # tells nothing about the people in the flat.
    read_here = Resident.objects.present().filter(
        household=OuterRef("pk"), user__notice_reads__notice=notice
    )
    unread = (
        households.exclude(Exists(read_here))
        .for_list()
        .order_by("-care", *Household._meta.ordering)
    )
    page = unread_households_page(unread, request.GET.get("page"), audit=request)
    context = {
        "notice": notice,
        "accounts": with_accounts.count(),
        "read": with_accounts.filter(user__notice_reads__notice=notice).count(),
        "page": page,
        "in_zone": in_zone,
        "neighbourhood_form": choice,
    }
    return render(request, "notices/notice_reads.html", context)


# --- Uploads, from private storage after the page's own check -------------------------


def _notice_file(request, pk, related, file_pk):
    """(row of the notice's `related` set, None), or (None, a sign-in redirect) for a visitor
    asking for a file of a residents-only notice, as the notice page does."""
    notice, sign_in = _notice_or_sign_in(request, pk)
    if sign_in:
        return None, sign_in
    return get_object_or_404(getattr(notice, related).all(), pk=file_pk), None


@require_safe
def notice_image(request, pk, image_pk):
    image, sign_in = _notice_file(request, pk, "images", image_pk)
    return sign_in or private_file_response(image.image)


@require_safe
def notice_image_thumb(request, pk, image_pk):
    image, sign_in = _notice_file(request, pk, "images", image_pk)
    return sign_in or private_file_response(image.thumbnail)


@require_safe
def notice_attachment(request, pk, attachment_pk):
    attachment, sign_in = _notice_file(request, pk, "attachments", attachment_pk)
    if sign_in:
        return sign_in
    # The stored name is random; the download is named after the title staff gave it.
    title = attachment.title.replace("/", "-").replace("\\", "-").strip() or "attachment"
    return private_file_response(attachment.file, as_attachment=True, filename=f"{title}.pdf")


@login_required
def notice_follow(request):
    """Choose the categories of notice to be told about (in the inbox, by email or WeChat)."""
    form = FollowCategoriesForm(
        request.POST if request.method == "POST" else None,
        initial={"categories": followed_categories(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        follow_categories_set(user=request.user, categories=form.cleaned_data["categories"])
        messages.success(request, _("Your choices are saved."))
        return redirect("notices:notice-follow")
    return render(request, "notices/notice_follow.html", {"form": form, "nav_section": "notices"})

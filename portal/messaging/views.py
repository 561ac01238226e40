"""The inbox: /me/inbox/ (list, one message, mark read) and /me/inbox/settings/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import PreferencesForm
from .service import inbox_for, mark_all_read, mark_read, preferences_for, save_preferences

MESSAGES_PER_PAGE = 20


@login_required
def inbox(request):
    page = Paginator(inbox_for(request.user), MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/inbox.html", {"page": page, "nav_section": "inbox"})


@login_required
def inbox_message(request, pk):
    """One message in full; opening it marks it read. Its link leads on to the page."""
    message = get_object_or_404(inbox_for(request.user), pk=pk)
    if message.read_at is None:
        mark_read(request.user, [message.pk])
    return render(
        request, "portal/inbox_message.html", {"message": message, "nav_section": "inbox"}
    )


@require_POST
@login_required
def inbox_read(request):
    ids = [int(v) for v in request.POST.getlist("message") if v.isdigit()]
    if ids:
        mark_read(request.user, ids)
    return redirect(_back(request))


@require_POST
@login_required
def inbox_read_all(request):
    changed = mark_all_read(request.user)
    if changed:
        messages.success(request, _("All messages are marked read."))
    return redirect(_back(request))


def _back(request):
    from portal.redirects import next_url

    return next_url(request, "portal:inbox")


@login_required
def inbox_settings(request):
    preferences = preferences_for(request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        preferences=preferences,
    )
    if request.method == "POST" and form.is_valid():
        save_preferences(request.user, form.choices())
        messages.success(request, _("Your choices are saved."))
        return redirect("portal:inbox-settings")
    return render(request, "portal/inbox_settings.html", {"form": form, "nav_section": "inbox"})

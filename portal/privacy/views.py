"""/me/data/ (下载我的数据) and /me/close/ (注销账号): the residents' rights of PIPL."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.exceptions import Refused
from portal.ratelimits import form_status, over_limit

from . import services
from .forms import AccountCloseForm


@require_http_methods(["GET", "POST"])
@login_required
def my_data(request):
    """GET: what the download holds; POST: the file (a POST, so that no link or prefetch
    makes one, and it is never cached)."""
    if request.method == "GET":
        return render(request, "portal/my_data.html")
    data = services.personal_data_for(request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"my-data-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def account_close(request):
    user = request.user
    form = AccountCloseForm(request.POST or None, user=user)
    context = {"form": form, "can_close": services.can_close(user)}
    # The password is checked by the form; a limit keeps it from being guessed here.
    posted = request.method == "POST" and context["can_close"]
    if posted and not over_limit(request, form, "password_check") and form.is_valid():
        try:
            services.account_close(user=user)
        except Refused as refusal:
            messages.error(request, str(refusal))
            return redirect("portal:account-close")
        logout(request)
        messages.success(request, _("Your account is closed. Thank you for taking part."))
        return redirect("portal:home")
    status = form_status(request, form) if context["can_close"] else 200
    if request.method == "POST" and not context["can_close"]:
        status = 403
    return render(request, "portal/account_close.html", context, status=status)

"""A double-tapped form is sent once: the second identical POST answers as the first did.

On a slow phone connection people tap "submit" again, and browsers resend a POST that seems
to hang. Each tap is a whole request: without this, two need reports or two visits are
saved, or the two race into a unique constraint. `@post_once` goes on the views where a
double tap is likely (a need report, a visit, 上云, 附议, a suggestion).

How it works:

- The key is the account, the path with its query, and a SHA-256 of the POST fields
  (without the CSRF token, which differs between two tabs) and of the uploaded files'
  field names, file names and sizes. Only signed-in users' POSTs are concerned.
- `cache.add(key, RUNNING)` is atomic in the caches we run (Redis `SET NX`, the database
  cache's INSERT on its primary key, locmem's lock): of several identical posts, exactly
  one gets the key and runs the view.
- If the view answers with a redirect (it did what was asked, or refused with a message),
  its Location replaces RUNNING for `WINDOW` seconds. Any other answer (a form error, an
  exception) removes the key: the person corrects the form and sends it again.
- An identical post meanwhile waits, up to `WAIT` seconds, for that Location and answers
  with the same redirect and a short note that nothing was sent twice. If the key went
  away (the first one failed), it runs the view itself, and so gets the same form error.
  If the first is still running after `WAIT`, it answers 409 with a page saying so.

Limits, on purpose: the same content sent twice within the window is taken once (for these
forms that is what people mean). A waiting duplicate holds a worker for up to `WAIT`
seconds. The database constraints (one pending 上云 request, one 附议) still hold on their
own; this is about answering well, and about rows that have no natural unique key.
"""

import functools
import hashlib
import json
import time

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

WINDOW = 10  # seconds a repeated post is taken for the first
WAIT = 5  # seconds a repeated post waits for the first to finish
POLL = 0.05
RUNNING = "running"


def post_key(request):
    fields = sorted(
        (name, values) for name, values in request.POST.lists() if name != "csrfmiddlewaretoken"
    )
    files = sorted(
        (name, [(upload.name, upload.size) for upload in uploads])
        for name, uploads in request.FILES.lists()
    )
    body = json.dumps([request.get_full_path(), fields, files], ensure_ascii=False)
    digest = hashlib.sha256(body.encode()).hexdigest()
    return f"post-once:{request.user.pk}:{digest}"


def post_once(view):
    """Run `view` once for identical POSTs of one account within WINDOW seconds."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST" or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = post_key(request)
        deadline = time.monotonic() + WAIT
        while True:
            if cache.add(key, RUNNING, WINDOW):
                return _run_first(view, key, request, *args, **kwargs)
            location = cache.get(key)
            if location not in (None, RUNNING):
                messages.info(request, _("You sent this a moment ago; it was saved once."))
                return HttpResponseRedirect(location)
            if time.monotonic() > deadline:
                return render(request, "portal/post_in_progress.html", status=409)
            time.sleep(POLL)

    return wrapper


def _run_first(view, key, request, *args, **kwargs):
    try:
        response = view(request, *args, **kwargs)
    except BaseException:
        cache.delete(key)
        raise
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        cache.set(key, response["Location"], WINDOW)
    else:
        cache.delete(key)
    return response

"""The WSGI application (gunicorn portal.wsgi), and the garbage collector of its workers.

A full collection scans every object the collector tracks: measured on the district demo
(benchmarks/run.py's settings), one took 53 ms after a worker's first few staff pages,
and one falls due every 40 or so requests; at one connection that was each page's p99.
What lives as long as the process is taken out of its way with gc.freeze():

- here, once Django has loaded, with what it would otherwise load on the first request
  (the URLconf and through it every view module, the template tag libraries, the
  translation catalogs): that first freeze then covers two thirds of it (a full collection
  after the same pages: 17 ms);
- and again after a worker's 100th and 1,000th request, once its first requests have filled
  the caches that last (compiled templates, URL reversal): a collection first, so that no
  garbage is frozen with them, and at most these two times, since whatever request is in
  flight is frozen too.
"""

import gc
import itertools
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

FREEZE_AFTER_REQUESTS = frozenset({100, 1000})


def load_what_the_first_request_would():
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    engines.all()  # each engine loads its tag libraries when made
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # Reading it imports the URLconf and fills this language's reversal.
            get_resolver().reverse_dict  # noqa: B018


load_what_the_first_request_would()
gc.freeze()

_served = itertools.count(1)


def freeze_what_lasts(sender, **kwargs):
    if next(_served) in FREEZE_AFTER_REQUESTS:
        gc.collect()
        gc.freeze()


request_finished.connect(freeze_what_lasts, dispatch_uid="portal.wsgi.freeze_what_lasts")

"""portal.wsgi takes what lives as long as a gunicorn worker out of the garbage collector's
way: at import, with what Django would otherwise load on the first request, and again
after the worker's 100th and 1,000th request, never more.

Run in a child process: freezing this test process's objects would change the suite's."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import gc, json, sys
import portal.wsgi
from django.core.signals import request_finished

result = {
    "frozen_at_import": gc.get_freeze_count(),
    "views_loaded_at_import": "neighborhoods.register.views" in sys.modules,
    "tags_loaded_at_import": "portal.templatetags.words" in sys.modules,
}
kept, frozen = [], {}
for n in range(1, 1201):
    kept.append([n])  # a long-lived object made by each request (a cache entry, say)
    request_finished.send(sender=None)
    frozen[n] = gc.get_freeze_count()
result["frozen"] = frozen
print(json.dumps(result))
"""


def test_the_worker_freezes_at_import_and_after_its_100th_and_1000th_requests_only():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.test_settings"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["views_loaded_at_import"] and result["tags_loaded_at_import"], result
    frozen = {int(n): count for n, count in result.pop("frozen").items()}
    at_import = result["frozen_at_import"]
    assert at_import > 0
    # Nothing more until the 100th request; its objects and the 99 before are frozen then.
    assert {frozen[n] for n in range(1, 100)} == {at_import}
    assert frozen[100] >= at_import + 100
    assert {frozen[n] for n in range(100, 1000)} == {frozen[100]}
    assert frozen[1000] >= frozen[100] + 900
    # After the 1,000th, never again: a request in flight would be frozen each time.
    assert {frozen[n] for n in range(1000, 1201)} == {frozen[1000]}

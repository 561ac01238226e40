"""deploy/nginx.conf and the dependency audit: what the README promises of them."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()


def directives():
    return [line.split("#")[0].strip() for line in NGINX.splitlines() if line.split("#")[0].strip()]


def test_nginx_sets_the_one_trusted_hop_and_never_appends():
    lines = directives()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in lines
    assert not any("$proxy_add_x_forwarded_for" in line for line in lines)
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in lines
    assert "proxy_set_header X-Request-ID $request_id;" in lines


def test_nginx_terminates_tls_limits_bodies_serves_static_and_no_media():
    lines = directives()
    assert any(re.fullmatch(r"listen 443 ssl;", line) for line in lines)
    assert any(line.startswith("ssl_certificate ") for line in lines)
    assert any(re.fullmatch(r"client_max_body_size \d+m;", line) for line in lines)
    assert "location /static/ {" in lines
    media = NGINX.split("location /media/ {", 1)[1].split("}", 1)[0]
    assert "return 404;" in media and "alias" not in media and "root" not in media


def test_the_readme_points_to_it():
    assert "deploy/nginx.conf" in (ROOT / "README.md").read_text()


def audit(tmp_path, report, **env):
    path = tmp_path / "audit.json"
    path.write_text(json.dumps(report))
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "audit_dependencies.py"), str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_AUDIT_REQUIRED": "", **env},
    )


def test_the_audit_fails_on_a_vulnerability_with_a_fix(tmp_path):
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}],
            },
            {"name": "nh3", "version": "0.3.8", "vulns": []},
        ]
    }
    result = audit(tmp_path, report)
    assert result.returncode == 1
    assert "django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in result.stdout


def test_the_audit_passes_when_no_fix_exists_yet_or_nothing_is_known(tmp_path):
    report = {
        "dependencies": [
            {
                "name": "pillow",
                "version": "13.0.0",
                "vulns": [{"id": "GHSA-x", "fix_versions": []}],
            },
            {"name": "nh3", "version": "0.3.8", "vulns": []},
        ]
    }
    result = audit(tmp_path, report)
    assert result.returncode == 0
    assert "warning: pillow 13.0.0: GHSA-x (no fix released yet)" in result.stdout


def test_nothing_audited_is_a_warning_unless_the_audit_is_required(tmp_path):
    report = {"dependencies": [{"name": "nh3", "skip_reason": "Dependency not found on PyPI"}]}
    here = audit(tmp_path, report)
    assert here.returncode == 0 and "could audit none" in here.stdout
    assert audit(tmp_path, report, PIP_AUDIT_REQUIRED="true").returncode == 2

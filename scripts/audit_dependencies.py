"""Fail when a pinned dependency has a known vulnerability that a newer release fixes.

CI (.ci/run) runs pip-audit (pinned, in a virtualenv of its own) over requirements.lock and
hands its JSON report to this script:

    pip-audit -r requirements.lock --no-deps --disable-pip --format json --output audit.json
    python scripts/audit_dependencies.py audit.json

A vulnerability with a fix available fails the run (upgrade the pin); one without a fix yet
is printed as a warning, since there is nothing to upgrade to.
"""

import json
import os
import sys


def findings(report):
    """(fixable, unfixable): lists of 'name version id → fix versions' lines."""
    fixable, unfixable = [], []
    for dependency in report.get("dependencies", []):
        for vuln in dependency.get("vulns", []):
            line = f"{dependency['name']} {dependency.get('version', '?')}: {vuln['id']}"
            fixes = vuln.get("fix_versions") or []
            if fixes:
                fixable.append(f"{line} (fixed in {', '.join(fixes)})")
            else:
                unfixable.append(f"{line} (no fix released yet)")
    return fixable, unfixable


def main(path):
    with open(path, encoding="utf-8") as file:
        report = json.load(file)
    fixable, unfixable = findings(report)
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dependency in skipped:
        print(f"warning: not audited: {dependency['skip_reason']}")
    if dependencies and len(skipped) == len(dependencies):
        # This machine reaches PyPI's package index through a mirror but not its JSON API,
        # so nothing can be looked up here: say so loudly. PIP_AUDIT_REQUIRED=true (a CI
        # with PyPI's API) makes it a failure.
        print("pip-audit could audit none of the dependencies (no access to PyPI's API?).")
        return 2 if os.environ.get("PIP_AUDIT_REQUIRED", "").lower() == "true" else 0
    for line in unfixable:
        print(f"warning: {line}")
    for line in fixable:
        print(f"VULNERABLE: {line}")
    if fixable:
        print(f"{len(fixable)} known vulnerabilities have a fix: upgrade the pins.")
        return 1
    audited = len(dependencies) - len(skipped)
    print(f"pip-audit: no fixable known vulnerability in {audited} audited packages.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

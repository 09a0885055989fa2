"""Start-up stays light (issue 11 §2): loading the apps and the whole URL conf (every view and
what it imports) must not import the analytics stack or the office-file writers. They load
when a scorecard is computed or a file is made. The time itself is measured in
``benchmarks/startup.py``; this test keeps the cause from coming back."""

from __future__ import annotations

import json
import os
import subprocess
import sys

#: Loaded only where a scorecard is computed (Ibis, pandas and what they bring), an Excel or
#: Word file is read or written, or the risk-ranked order is trained (scikit-learn, SciPy, NumPy).
HEAVY = (
    "ibis", "pandas", "pyarrow", "sqlglot", "openpyxl", "xlsxwriter", "docx",
    "sklearn", "scipy", "numpy",
)  # fmt: skip

PROBE = """
import json, sys, django
django.setup()
from django.urls import get_resolver
resolver = get_resolver()
resolver.url_patterns  # imports the URL conf and every view module
from django.core.management import call_command
call_command("check", verbosity=0)
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_url_conf_and_check_do_not_import_the_analytics_stack(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "foodsafe.settings",
        "FOODSAFE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/probe.sqlite3",
    }
    done = subprocess.run(  # noqa: S603 (this interpreter, a fixed probe)
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "foodsafe" in loaded and "django" in loaded  # the probe did load the project
    assert sorted(loaded & set(HEAVY)) == []


WSGI_PROBE = """
import json, sys
import foodsafe.wsgi
print(json.dumps(sorted(m for m in sys.modules if m.startswith("foodsafe."))))
"""


def test_the_wsgi_module_loads_the_url_conf_before_the_workers_fork(tmp_path):
    """gunicorn --preload imports foodsafe.wsgi in the master: the URL conf and the view
    modules must be loaded by then (foodsafe.urls and, through it, foodsafe.public.views —
    nothing else imports either), so that no worker imports them on its first request."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "foodsafe.settings",
        "FOODSAFE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/probe.sqlite3",
    }
    done = subprocess.run(  # noqa: S603 (this interpreter, a fixed probe)
        [sys.executable, "-c", WSGI_PROBE], env=env, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert {"foodsafe.urls", "foodsafe.public.views"} <= loaded

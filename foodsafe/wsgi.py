"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodsafe.settings")
application = get_wsgi_application()
# Import the URL conf (and with it every view module) now: `foodsafe serve` runs gunicorn with
# --preload, so this happens once in the master and the workers are forked with it loaded.
# Otherwise each worker paid ~0.4 s of CPU on its first request, and each replacement worker
# (--max-requests) again, in the middle of the load (docs/public.md, "Load").
get_resolver().url_patterns  # noqa: B018 (the property's side effect is the point)

"""The file cache's write cost: Django's FileBasedCache against the site's FileCache
(foodsafe/lib/filecache.py), each adding new keys as the public forms do (one per post: the
challenge's used nonce), in a fresh directory, in this process.

For each backend: CPU per ``add`` (user + system, not wall: the machine is shared) over the
first ``--small`` writes (a near-empty directory) and then over ``--timed`` writes once the
directory holds about ``--fill`` files (the default MAX_ENTRIES is 2,000, so a busy site's
cache sits near it).

    .venv/bin/python benchmarks/file_cache.py [--fill 1900] [--timed 300] [--small 100]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--fill", type=int, default=1900)
    parser.add_argument("--timed", type=int, default=300)
    parser.add_argument("--small", type=int, default=100)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodsafe.settings")
    os.environ.setdefault("FOODSAFE_SECRET_KEY", secrets.token_urlsafe(40))
    import django

    django.setup()
    from django.core.cache.backends.filebased import FileBasedCache

    from foodsafe.lib.filecache import FileCache

    def adds(cache: FileBasedCache, n: int) -> float:
        start = time.process_time()
        for _ in range(n):
            cache.add(f"public-challenge-used:{secrets.token_urlsafe(16)}", 1, 3600)
        return 1000 * (time.process_time() - start) / n

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for backend in (FileBasedCache, FileCache):
        with tempfile.TemporaryDirectory() as directory:
            cache = backend(directory, {"OPTIONS": {"MAX_ENTRIES": 2000}})
            small = adds(cache, args.small)
            adds(cache, max(0, args.fill - args.small))
            files = len(os.listdir(directory))
            full = adds(cache, args.timed)
            print(
                f"{backend.__module__}.{backend.__name__}: {small:.2f} ms CPU per add in the "
                f"first {args.small}; {full:.2f} ms per add over {args.timed} more from "
                f"{files} files"
            )


if __name__ == "__main__":
    main()

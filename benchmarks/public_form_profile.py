"""Profile: where one public complaint submission spends its CPU, in this process.

Calls the WSGI application (every middleware, the view, the templates; no HTTP server) with
``--posts`` complete complaint forms like ``benchmarks/public_form.py``'s (each its own
challenge token, rate limits off), on ``--database-url`` (PostgreSQL by default), after
``--warm`` untimed ones. Prints this process's CPU time per submission (user + system, not
wall: the machine is shared), the wall time, the queries per submission, and with
``--profile`` cProfile's top functions by cumulative and by own time. The load benchmark
(``public_form.py``) is the measure; this says where the time goes.

    .venv/bin/python benchmarks/public_form_profile.py [--database-url URL] [--posts 300]
        [--warm 30] [--cache-files 0]
        [--profile [--dump FILE]]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import shutil
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

DEFAULT_DB = "postgres://fsdev:fsdev@127.0.0.1:5432/fs_h3"
ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--warm", type=int, default=30)
    parser.add_argument(
        "--cache-files", type=int, default=0, help="cache entries written first (a running site)"
    )
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump", help="with --profile: write the pstats to this file too")
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="foodsafe-profile-"))
    os.environ.update(
        {
            "DATABASE_URL": args.database_url,
            "FOODSAFE_SECRET_KEY": secrets.token_urlsafe(50),
            "FOODSAFE_DEBUG": "0",
            "FOODSAFE_SECURE_COOKIES": "0",
            "FOODSAFE_VAR_DIR": str(var),
            "FOODSAFE_PUBLIC_VIEWS_PER_MINUTE": "0",
            "FOODSAFE_PUBLIC_POSTS_PER_HOUR": "0",
            # As `foodsafe serve` runs it: one connection kept across requests.
            "FOODSAFE_DB_CONN_MAX_AGE": os.environ.get("FOODSAFE_DB_CONN_MAX_AGE", "60"),
            "DJANGO_SETTINGS_MODULE": "foodsafe.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core import signing
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from foodsafe.complaints.models import Complaint
    from foodsafe.orgunits.models import OrgUnit
    from foodsafe.public import challenge

    call_command("migrate", verbosity=0)
    for code, name, parent, level in [
        ("120000000000", "天津市（压测）", None, 1),
        ("120100000000", "市辖区（压测）", "120000000000", 2),
        ("120101000000", "和平区（压测）", "120100000000", 3),
        ("120101001000", "A街道（压测）", "120101000000", 4),
    ]:
        OrgUnit.objects.get_or_create(
            code=code, defaults={"name": name, "parent_id": parent, "level": level}
        )
    from django.core.cache import cache

    for i in range(args.cache_files):
        cache.add(f"public-challenge-used:earlier-{i}", 1, 3600)
    application = get_wsgi_application()
    csrf = secrets.token_hex(16)

    def body(i: int) -> bytes:
        nonce = secrets.token_urlsafe(16)
        token = signing.dumps(
            {"n": nonce, "m": challenge._mac(nonce, 42), "t": int(time.time()) - 10},
            salt=challenge._SALT,
        )
        return urllib.parse.urlencode(
            {"csrfmiddlewaretoken": csrf, "token": token, "answer": "42", "website": "",
             "is_complaint": "on", "name": "压测", "phone": "13800000000",
             "address": "和平区某路1号", "org_unit_code": "120101001000",
             "respondent": "示例餐馆", "category": "hygiene", "claim": "退款",
             "facts": f"剖析提交 {i}"}
        ).encode()  # fmt: skip

    bodies = [body(i) for i in range(args.warm + args.posts)]

    def post(data: bytes) -> None:
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": "/public/complaint/", "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000", "HTTP_COOKIE": f"csrftoken={csrf}",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(data)), "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "wsgi.multithread": False,
            "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
            "SERVER_PROTOCOL": "HTTP/1.1",
        }  # fmt: skip
        status: list[str] = []
        chunks = application(environ, lambda s, h, *a: status.append(s))
        content = b"".join(chunks)
        chunks.close()  # type: ignore[attr-defined]  # request_finished: as a server does
        if not status[0].startswith("200") or b"tracking-number" not in content:
            sys.exit(f"submission refused: {status[0]}\n{content.decode()[:2000]}")

    for data in bodies[: args.warm]:
        post(data)
    timed = bodies[args.warm :]
    queries: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        post(timed[0])
    # Timed by CPU, not wall: waits for the database (and for the shared cores) are not cost here.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for data in timed[1:]:
        post(data)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    n = len(timed) - 1
    stored = Complaint.objects.filter(channel="public", summary__startswith="剖析提交").count()
    print(
        f"{n} submissions in process on {connection.vendor} ({args.cache_files} cache files "
        f"first): CPU {1000 * cpu / n:.2f} ms each, "
        f"wall {1000 * wall / n:.2f} ms each{' (under cProfile)' if profiler else ''}; "
        f"{len(queries)} queries each; stored {stored}; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    for sql in queries:
        print("   ", sql[:150])
    if profiler and args.dump:
        profiler.dump_stats(args.dump)
    if profiler:
        for key in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(45)
            print(out.getvalue())
    Complaint.history.model.objects.filter(summary__startswith="剖析提交").delete()
    Complaint.objects.filter(summary__startswith="剖析提交").delete()
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()

"""The public pages' rate counter (``public/ratelimit.py``): one atomic upsert per request.

Why not a library (issue 16, docs/public.md): django-ratelimit needs a cache with atomic
increment, which Django's file and database caches do not have (get + set); so do
django-throttle-requests and DRF's throttles; ``limits`` stores counts only in memory, Redis,
Memcached, MongoDB or etcd. The counter is therefore the database's own ``ON CONFLICT DO UPDATE
… RETURNING``.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from foodsafe.public.models import RateCount
from foodsafe.public.ratelimit import count_hit


def test_counts_one_two_three_and_keeps_windows_apart(db):
    later = int(time.time()) + 60
    assert [count_hit("views:1.2.3.4:100", later) for _ in range(3)] == [1, 2, 3]
    assert count_hit("views:1.2.3.4:101", later) == 1  # the next window starts again at 1
    assert count_hit("views:5.6.7.8:100", later) == 1  # another address
    assert RateCount.objects.get(window_key="views:1.2.3.4:100").hits == 3


def test_a_new_window_deletes_the_expired_ones(db):
    RateCount.objects.create(window_key="views:1.2.3.4:1", expires_at=1, hits=7)  # 1970
    RateCount.objects.create(window_key="views:1.2.3.4:2", expires_at=int(time.time()) + 30, hits=2)
    count_hit("views:9.9.9.9:5", int(time.time()) + 60)  # a first hit: purges
    assert set(RateCount.objects.values_list("window_key", flat=True)) == {
        "views:1.2.3.4:2",
        "views:9.9.9.9:5",
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_all_counted():
    """8 threads × 25 hits on one counter, each thread on its own connection: 200, no count
    lost (a get-then-set counter loses some whenever two threads read the same value)."""
    later = int(time.time()) + 60
    start = threading.Barrier(8)

    def hit() -> None:
        try:
            start.wait()
            for _ in range(25):
                count_hit("complaint:10.0.0.1:7", later)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert RateCount.objects.get(window_key="complaint:10.0.0.1:7").hits == 200

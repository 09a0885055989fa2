"""The site's file cache (foodsafe/lib/filecache.py) counts its directory every CHECK_EVERY-th
write, not before every write, and still culls to Django's rule when it counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from foodsafe.lib.filecache import FileCache


def _files(directory: Path) -> int:
    return len(list(directory.glob("*.djcache")))


def test_the_directory_is_counted_every_check_every_writes_and_culled_as_django_does(tmp_path):
    """MAX_ENTRIES 10, CULL_FREQUENCY 2 (a count of n ≥ 10 deletes int(n / 2) random files),
    CHECK_EVERY 4: the count happens before writes 1, 5, 9, 13, 17, 21, 25 (1 + 4k).

    Worked by hand, files after each write (w = write number):
    w 1–12: no count sees ≥ 10 (it sees 0, 4, 8), so the files are 1, 2, …, 12.
    w 13: the count sees 12 → deletes 6 → 6, the write makes 7; w 14–16: 8, 9, 10.
    w 17: sees 10 → deletes 5 → 5, write → 6; w 18–20: 7, 8, 9.
    w 21: sees 9 < 10 → no cull, write → 10; w 22–24: 11, 12, 13
      (13 = MAX_ENTRIES + CHECK_EVERY − 1, the most one cache object can leave).
    w 25: sees 13 → deletes 6 → 7, write → 8.
    Which files go is random; how many is not.
    """
    cache = FileCache(
        str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2, "CHECK_EVERY": 4}}
    )
    counts = []
    for w in range(1, 26):
        cache.set(f"key-{w}", w, 3600)
        counts.append(_files(tmp_path))
    assert counts == [*range(1, 13), 7, 8, 9, 10, 6, 7, 8, 9, 10, 11, 12, 13, 8]
    # The newest entry is always there (the cull runs before the write).
    assert cache.get("key-25") == 25


def test_listing_happens_only_on_counting_writes(tmp_path, monkeypatch):
    """32 writes with the default CHECK_EVERY (32) list the directory once (before write 1);
    the 33rd write lists it again. Django's own backend would have listed it 33 times."""
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 2000}})
    listings = []
    original = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listings.append(1) or original())
    for i in range(32):
        cache.set(f"k{i}", i, 60)
    assert len(listings) == 1
    cache.add("k32", 32, 60)
    assert len(listings) == 2
    # add() of a key already there writes nothing, so it is not a write and counts nothing.
    assert cache.add("k32", 0, 60) is False
    assert len(listings) == 2


def test_check_every_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="CHECK_EVERY"):
        FileCache(str(tmp_path), {"OPTIONS": {"CHECK_EVERY": 0}})


def test_the_site_uses_it_for_the_file_kind():
    """settings' file kind (FOODSAFE_CACHE=file, the default) names this backend (the tests
    themselves run on a per-test memory cache, tests/conftest.py)."""
    from foodsafe import settings as site_settings

    assert site_settings._CACHE_BACKENDS["file"]["BACKEND"] == "foodsafe.lib.filecache.FileCache"

"""The site's shared file cache (settings.CACHES, ``FOODSAFE_CACHE=file``, the default): Django's
``FileBasedCache``, counting its files on every ``CHECK_EVERY``-th write of a process instead
of on every write.

Django's file cache lists its whole directory before each write to see whether it holds
``MAX_ENTRIES`` files (and then deletes a random ``1/CULL_FREQUENCY`` of them). Near the
default 2,000 files that listing costs about 4 ms of CPU (0.25 ms with a near-empty directory,
measured in docs/public.md), and every public form post writes one entry (the challenge marks
its nonce used): a third of a complaint submission's CPU under load, spent counting files.

Here each cache object (one per worker thread) lists the directory on its 1st, (N+1)th,
(2N+1)th … write. Between two counts one object adds at most N − 1 files, so the directory
holds at most ``MAX_ENTRIES`` + (objects writing at once) × (N − 1) files before the next
count culls it: ``MAX_ENTRIES`` becomes a soft bound, as it already was across processes
(Django's count and delete are not atomic either). The entries themselves, their expiry and
the random cull are Django's, unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.filebased import FileBasedCache

#: Writes between two counts of the directory, per cache object (``OPTIONS["CHECK_EVERY"]``).
CHECK_EVERY = 32


class FileCache(FileBasedCache):
    """文件缓存: Django's file cache whose size is checked every ``CHECK_EVERY`` writes."""

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        check_every = int(params.get("OPTIONS", {}).get("CHECK_EVERY", CHECK_EVERY))
        if check_every < 1:
            raise ValueError(f"CHECK_EVERY must be at least 1, not {check_every}")
        self._check_every = check_every
        self._writes = 0

    def _cull(self) -> None:
        # Called by set() before each write; the first write of this object always counts.
        self._writes += 1
        if (self._writes - 1) % self._check_every == 0:
            super()._cull()  # type: ignore[misc]  # private in django-stubs, not in Django

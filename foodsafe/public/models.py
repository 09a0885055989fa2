"""The public pages' one table: the rate-limit counters (``ratelimit``)."""

from __future__ import annotations

from django.db import models


class RateCount(models.Model):
    """Requests of one client address in one scope and time window (``ratelimit.count_hit``
    writes it with one atomic upsert; rows past ``expires_at`` are deleted as new ones come)."""

    window_key = models.CharField(max_length=200, unique=True)
    expires_at = models.BigIntegerField(db_index=True)  # Unix seconds
    hits = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.window_key}={self.hits}"

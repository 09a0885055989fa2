"""Generated ledger tables as columns, before they get database ids.

A :class:`Table` holds one Django model's rows as columns named after the database columns:
numpy arrays (``int64``, ``bool``, ``datetime64[D]`` with ``NaT`` for null, ``float64`` with
``NaN`` for null) or lists of ``str``/``None``. Its ``id`` column is the local row number
0…n−1, and foreign keys to other generated tables hold the parent's local row number; the
writer turns both into real ids. Columns the generator leaves out get the model field's default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import numpy as np
from django.db import models

DAY = np.timedelta64(1, "D")


def day(d: date) -> np.datetime64:
    return np.datetime64(d, "D")


@dataclass
class Table:
    """One model's generated rows as columns (see the module docstring)."""

    model: type[models.Model]
    columns: dict[str, Any]
    #: foreign-key column → database table of the parent whose local row numbers it holds
    fks: dict[str, str] = field(default_factory=dict)

    @property
    def db_table(self) -> str:
        return self.model._meta.db_table

    def __len__(self) -> int:
        for values in self.columns.values():
            return len(values)
        return 0

    def fields(self) -> list[models.Field]:
        """The model's concrete fields in declaration order (``id`` first)."""
        return list(self.model._meta.concrete_fields)


def column_of(field: models.Field) -> str:
    """The database column of a concrete field (never ``None`` for one)."""
    return cast(str, field.column)


def model_columns(model: type[models.Model]) -> list[str]:
    return [column_of(f) for f in model._meta.concrete_fields]


@dataclass
class Dataset:
    """Every generated table, parents before children, plus what describes the jurisdiction."""

    code: str
    prefix: str
    name: str
    shape: str
    population: int
    seed: int
    tables: dict[str, Table] = field(default_factory=dict)

    def add(self, table: Table) -> Table:
        self.tables[table.db_table] = table
        return table

    def counts(self) -> dict[str, int]:
        return {name: len(t) for name, t in self.tables.items()}


def strs(prefix: str, numbers: np.ndarray, width: int) -> list[str]:
    """``[f"{prefix}{n:0{width}d}" …]`` for an integer array."""
    return [f"{prefix}{n:0{width}d}" for n in numbers.tolist()]


def uniform_days(
    rng: np.random.Generator, lo: np.ndarray | np.datetime64, hi: np.ndarray | np.datetime64
) -> np.ndarray:
    """A uniformly drawn day in ``[lo, hi]`` for each pair (``datetime64[D]`` arrays, or one
    of them a scalar day broadcast against the other; lo ≤ hi)."""
    span = np.asarray(hi - lo).astype(np.int64) + 1
    return lo + (rng.random(len(span)) * span).astype(np.int64) * DAY


def pick_from(rng: np.random.Generator, choices: list[str], n: int, p: Any = None) -> np.ndarray:
    """``n`` draws from ``choices`` (with probabilities ``p``) as an object array of str."""
    idx = rng.choice(len(choices), size=n, p=p)
    return np.asarray(choices, dtype=object)[idx]


def shares(mapping: dict[str, float]) -> tuple[list[str], np.ndarray]:
    """Keys and their normalised weights."""
    keys = list(mapping)
    weights = np.asarray([mapping[k] for k in keys], dtype=float)
    return keys, weights / weights.sum()


class Picker:
    """Draw random rows among those sharing a group key (e.g. district × format).

    ``keys`` is one integer key per candidate row; ``rows`` the candidates' row numbers (default
    0…n−1). :meth:`pick` returns, for each wanted key, a uniformly drawn candidate row with that
    key, or −1 where there is none.
    """

    def __init__(self, keys: np.ndarray, rows: np.ndarray | None = None) -> None:
        rows = np.arange(len(keys)) if rows is None else rows
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.rows = rows[order]

    def count(self, wanted: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.keys, wanted, "right") - np.searchsorted(self.keys, wanted)

    def pick(self, rng: np.random.Generator, wanted: np.ndarray) -> np.ndarray:
        start = np.searchsorted(self.keys, wanted)
        count = np.searchsorted(self.keys, wanted, "right") - start
        offset = (rng.random(len(wanted)) * np.maximum(count, 1)).astype(np.int64)
        picked = (
            self.rows[np.minimum(start + offset, max(len(self.rows) - 1, 0))]
            if len(self.rows)
            else np.zeros(len(wanted), dtype=np.int64)
        )
        return np.where(count > 0, picked, -1)

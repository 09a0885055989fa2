"""Specs kept as YAML files (the programme, the risk-grading scheme, the inspection-plan rules):
one way to read them, one kind of error that names the file and the key, and the certainty tags
of RULES.md that say which parts are a reading the office may change."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict

#: RULES.md's tags: P primary source, S secondary, M majority reading, I our interpretation.
Certainty = Literal["P", "S", "M", "I"]


class SpecFileError(ValueError):
    """A spec that cannot be used; the message names the file and the key."""

    def __init__(self, path: str | Path, key: str, message: str) -> None:
        self.path, self.key, self.message = str(path), key, message
        super().__init__(f"{path}: {key}: {message}")


def read_yaml_file(path: Path, error: type[SpecFileError]) -> tuple[Any, bytes]:
    """The YAML data of the file at ``path`` and its bytes (for a checksum).

    Raises ``error`` naming the file and "(file)" when it cannot be read, or the line of a YAML
    syntax error.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(path, "(file)", f"无法读取: {exc.strerror}") from None
    try:
        return yaml.safe_load(raw), raw
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(yaml)"
        raise error(path, where, f"YAML 语法错误: {getattr(exc, 'problem', exc)}") from None


def key_path(loc: Iterable[Any]) -> str:
    """A pydantic error location as a key: ``("groups", 0, "items")`` → ``groups[0].items``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


class Strict(BaseModel):
    """A spec part: unknown keys are errors, and a loaded spec cannot change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Tagged(Strict):
    """A part of a spec with its certainty (RULES.md tags) and where it comes from."""

    certainty: Certainty
    source: str = ""
    note: str = ""

    @property
    def open(self) -> bool:
        """[M] or [I]: a reading the spec takes, to be said on the page."""
        return self.certainty in ("M", "I")

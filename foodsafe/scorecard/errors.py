"""The scorecard's errors, importable without the analytics stack (pages catch them at
start-up cost nil; the engine itself loads Ibis and pandas)."""

from __future__ import annotations


class UnknownOrgUnit(LookupError):
    """An org-unit code that is not in the org-unit tree."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"未知的区划代码 {code!r} (unknown org unit)")

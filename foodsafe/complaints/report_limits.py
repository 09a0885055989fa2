"""举报 time limits as configuration (RULES.md §4.1–§4.2; ``specs/report-limits.yaml``).

RULES.md tags the verification limit before 立案 [M] and the 90-day case limit [S]: numbers the
office may have to correct, so they live in a YAML file read through ``lib.specfiles`` (errors
name the file and key), with each limit's certainty and source for the page to show. The file is
``FOODSAFE_REPORT_LIMITS`` if set, else the one shipped here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from pydantic import Field, ValidationError

from foodsafe.lib.specfiles import SpecFileError, Strict, Tagged, key_path, read_yaml_file

DEFAULT_PATH = Path(__file__).resolve().parent / "specs" / "report-limits.yaml"


class ReportLimitsError(SpecFileError):
    """The 举报 time-limit file cannot be used; names the file and the key."""


class Verification(Tagged):
    """核查: decide whether to open a case within ``working_days`` of receipt (+ extension)."""

    working_days: int = Field(ge=1, le=120)
    extension_working_days: int = Field(ge=0, le=120)


class ReporterNotice(Tagged):
    """告知实名举报人: within ``working_days`` of the decision whether to open a case."""

    working_days: int = Field(ge=1, le=60)


class CaseDecision(Tagged):
    """A case opened on a report is decided within ``days`` calendar days of 立案."""

    days: int = Field(ge=1, le=730)


class ReportLimits(Strict):
    verification: Verification
    reporter_notice: ReporterNotice
    case_decision: CaseDecision

    def tagged(self) -> list[tuple[str, Tagged]]:
        """(name, part) of every limit, for the page."""
        return [
            ("核查（决定是否立案）", self.verification),
            ("告知实名举报人是否立案", self.reporter_notice),
            ("立案后作出处理决定", self.case_decision),
        ]


def parse_report_limits(data: Any, *, path: str | Path = "<report-limits>") -> ReportLimits:
    if not isinstance(data, dict):
        raise ReportLimitsError(path, "(root)", "顶层应为映射 (mapping expected)")
    try:
        return ReportLimits.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ReportLimitsError(path, key_path(err["loc"]), err["msg"]) from None


@cache
def _load(path: str) -> ReportLimits:
    data, _ = read_yaml_file(Path(path), ReportLimitsError)
    return parse_report_limits(data, path=path)


def report_limits() -> ReportLimits:
    """The limits in force (``FOODSAFE_REPORT_LIMITS`` or the shipped file), read once."""
    return _load(str(getattr(settings, "FOODSAFE_REPORT_LIMITS", "") or DEFAULT_PATH))

"""What the scorecard takes besides the ledgers: evidence approvals, veto findings, zero reports.

The engine does not import the apps that record these (evidence is a workflow app above the
scorecard; layers import one way, see DESIGN.md). It reads their tables by name through the same
Ibis backend as the ledgers — an approval is data to the scorecard, like an inspection row — and
takes them as one :class:`ScorecardInputs` object, which a caller (a test, a what-if) may also
build by hand and pass to ``evaluate_scorecards(inputs=...)``.

Each input belongs to an org unit and a period, and counts as a ledger row does (issue 10 §1):
for an evaluation of a subtree and period it counts when its unit is in the subtree and its
period lies inside the evaluated period. 2021 evidence of the district therefore does not count
for 2019, nor for a subdistrict's 2021Q1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from foodsafe.programme.spec import ProgrammeSpec

from .periods import Period, PeriodError, parse_period

#: The tables read here (Django's names), as ``context.TABLES`` names the ledgers'.
INPUT_TABLES = {
    "evidence": "evidence_evidence",
    "assignment": "programme_itemassignment",
    "task_item": "programme_taskitem",
    "programme": "programme_programme",
    "veto_finding": "programme_vetofinding",
    "zero_report": "completeness_zeroreport",
}


@dataclass(frozen=True)
class Approval:
    """An evidence requirement (材料要求) of an item with an APPROVED file (审核通过), for the
    org unit ``org_unit`` and the period ``period``."""

    item: int
    requirement: str
    org_unit: str
    period: Period

    def counts_for(self, prefix: str, period: Period) -> bool:
        """In the subtree ``prefix`` and inside ``period`` (both ends inclusive)."""
        return (
            self.org_unit.startswith(prefix)
            and period.start <= self.period.start
            and self.period.end <= period.end
        )


@dataclass(frozen=True)
class Finding:
    """The programme office's recorded finding on a veto (否决项认定) for a unit and year."""

    veto_code: str
    org_unit: str
    year: int
    vetoed: bool
    basis: str


@dataclass(frozen=True)
class ZeroReport:
    """A zero report (零报告): ``org_unit`` had nothing to record in ``ledger`` in ``period``."""

    ledger: str
    org_unit: str
    period: Period

    def covers(self, prefix: str, period: Period, *, within: bool = True) -> bool:
        """A zero report of a period containing ``period``, by a unit at or above ``prefix``'s
        unit (a district's zero report covers its subdistricts) or, with ``within``, inside
        it. A county-level ledger is kept for the whole area, so a subdistrict's zero report
        must not make the district's missing ledger a real zero: its check passes
        ``within=False``; a township-level ledger's roll-up checks each subdistrict."""
        return (
            self.period.start <= period.start
            and period.end <= self.period.end
            and (
                (within and self.org_unit.startswith(prefix))
                or prefix.startswith(_prefix(self.org_unit))
            )
        )


def _prefix(code: str) -> str:
    from foodsafe.orgunits.models import subtree_prefix

    return subtree_prefix(code)


@dataclass(frozen=True)
class ScorecardInputs:
    approvals: tuple[Approval, ...] = ()
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    zero_reports: tuple[ZeroReport, ...] = ()

    def missing_evidence(
        self, item: int, requirements: Iterable[str], prefix: str, period: Period
    ) -> list[str]:
        """The requirements of ``item`` without an approval that counts for the scope."""
        have = {
            a.requirement for a in self.approvals if a.item == item and a.counts_for(prefix, period)
        }
        return [r for r in requirements if r not in have]

    def zero_reported(
        self, ledger: str, prefix: str, period: Period, *, within: bool = True
    ) -> bool:
        return any(
            z.ledger == ledger and z.covers(prefix, period, within=within)
            for z in self.zero_reports
        )


def _text(value: Any) -> str:
    """A text cell of a result frame: ``""`` for NULL (which pandas may give as NaN)."""
    return "" if value is None or value != value else str(value)


def _period(code: str, default: Period) -> Period:
    try:
        return parse_period(code) if code else default
    except PeriodError:  # an unreadable stored period counts for nothing narrower than a year
        return default


def scorecard_inputs(*, backend: Any, spec: ProgrammeSpec, year: int) -> ScorecardInputs:
    """Read the approvals of ``spec``'s programme, its veto findings for ``year`` and every zero
    report, through ``backend`` (one query each).

    An approval without a period is for the programme's year; without an org unit, for the
    programme's own org unit (``programme.year`` and ``programme.org_unit`` in the spec).
    """
    programme_year = parse_period(str(spec.programme.year))
    home = spec.programme.org_unit
    t = {key: backend.table(name) for key, name in INPUT_TABLES.items()}
    e = t["evidence"].select(
        "assignment_id", "requirement", "status", "period", org_unit="org_unit_code"
    )
    a = t["assignment"].select(assignment_id="id", item_id="item_id")
    i = t["task_item"].select(item_id="id", number="number", programme_id="programme_id")
    p = t["programme"].select(programme_id="id", code="code")
    approved = (
        e.filter(e.status == "approved")
        .join(a, "assignment_id")
        .join(i, "item_id")
        .join(p, "programme_id")
        .filter(lambda r: r.code == spec.programme.code)
        .select("number", "requirement", "org_unit", "period")
        .distinct()
    )
    approvals = tuple(
        Approval(
            int(r["number"]),
            str(r["requirement"]),
            _text(r["org_unit"]) or home,
            _period(_text(r["period"]), programme_year),
        )
        for r in backend.execute(approved).to_dict("records")
    )
    f = t["veto_finding"]
    findings: dict[tuple[str, str], Finding] = {}
    recorded = f.filter(f.programme_code == spec.programme.code, f.year == year).order_by(f.id)
    for r in backend.execute(recorded).to_dict("records"):
        key = (str(r["veto_code"]), str(r["org_unit_code"]))
        findings.setdefault(
            key, Finding(key[0], key[1], int(r["year"]), bool(r["vetoed"]), str(r["basis"]))
        )
    z = t["zero_report"]
    zero: list[ZeroReport] = []
    for r in backend.execute(z.select("ledger", "org_unit_code", "period")).to_dict("records"):
        try:
            zero.append(ZeroReport(r["ledger"], r["org_unit_code"], parse_period(r["period"])))
        except PeriodError:
            continue
    return ScorecardInputs(approvals, findings, tuple(zero))

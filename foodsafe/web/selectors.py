"""Reads for the web pages: the scorecard page of an org unit and period, with its drill-down.

Views call these and render; the engine (``foodsafe.scorecard.engine``) does the computing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from foodsafe.orgunits.models import OrgUnit, subtree_prefix
from foodsafe.orgunits.selectors import child_units
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.spec import ProgrammeSpec
from foodsafe.reports.formatting import GroupView, grouped
from foodsafe.scorecard.cache import cached_scorecards
from foodsafe.scorecard.periods import Period, parse_period
from foodsafe.scorecard.results import IndicatorResult, Scorecard, Status, VetoStatus

# How many indicator columns the drill-down table shows (veto-linked ones first, then the
# indicators this unit does not meet, then the rest in plan order); ``all`` shows every one.
KEY_INDICATOR_LIMIT = 6


@dataclass(frozen=True)
class Crumb:
    code: str
    name: str


@dataclass(frozen=True)
class PeriodOption:
    code: str
    label: str
    kind: str


@dataclass(frozen=True)
class ChildRow:
    """One child unit in the drill-down: its scorecard and the key indicators' results."""

    scorecard: Scorecard
    cells: tuple[IndicatorResult | None, ...]

    @property
    def code(self) -> str:
        return self.scorecard.org_unit.code

    @property
    def name(self) -> str:
        return self.scorecard.org_unit.name

    @property
    def met(self) -> int:
        return self.scorecard.counts()[Status.MET.value]

    @property
    def vetoes_pending(self) -> int:
        return sum(
            v.status not in (VetoStatus.CLEAR, VetoStatus.ANNUAL) for v in self.scorecard.vetoes
        )

    @property
    def vetoes_annual(self) -> bool:
        """A part of a year: the vetoes are judged on the year (按年度判定)."""
        return bool(self.scorecard.vetoes) and all(
            v.status is VetoStatus.ANNUAL for v in self.scorecard.vetoes
        )


@dataclass(frozen=True)
class ScorecardPage:
    scorecard: Scorecard
    groups: tuple[GroupView, ...]
    key_indicators: tuple[IndicatorResult, ...]
    all_indicators: bool
    children: tuple[ChildRow, ...]
    breadcrumbs: tuple[Crumb, ...]
    periods: tuple[PeriodOption, ...]
    #: Codes of the veto items the programme office decides (rule ``finding``, e.g. veto 1):
    #: the page offers office admins a form to record the finding (认定否决项).
    finding_vetoes: frozenset[str] = frozenset()

    @property
    def counts(self) -> dict[str, int]:
        return self.scorecard.counts()

    @property
    def vetoes_vetoed(self) -> int:
        return sum(v.status is VetoStatus.VETOED for v in self.scorecard.vetoes)

    @property
    def vetoes_pending(self) -> int:
        return sum(
            v.status in (VetoStatus.NO_DATA, VetoStatus.EVIDENCE_NEEDED)
            for v in self.scorecard.vetoes
        )

    @property
    def vetoes_annual(self) -> bool:
        """A part of a year: the vetoes are judged on the year (按年度判定), linked to it."""
        return bool(self.scorecard.vetoes) and all(
            v.status is VetoStatus.ANNUAL for v in self.scorecard.vetoes
        )

    @property
    def year_code(self) -> str:
        return str(self.scorecard.period.start.year)


def home_scorecard_args() -> tuple[str, str]:
    """``(org_code, period_code)`` of the home page: the programme's unit and year."""
    spec = programme_spec()
    return spec.programme.org_unit, str(spec.programme.year)


def period_options(period: Period) -> tuple[PeriodOption, ...]:
    """The periods of ``period``'s year: the year, halves, quarters and months."""
    year = period.year
    codes = [f"{year}", f"{year}S1", f"{year}S2", *(f"{year}Q{q}" for q in range(1, 5))]
    codes += [f"{year}{m:02d}" for m in range(1, 13)]
    options = []
    for code in codes:
        parsed = parse_period(code)
        options.append(PeriodOption(code=code, label=parsed.label_zh(), kind=parsed.kind))
    return tuple(options)


def org_unit_breadcrumbs(org_code: str, root_code: str) -> tuple[Crumb, ...]:
    """The chain from the programme's unit (``root_code``) down to ``org_code``, both included.

    Units above the programme's unit are left out (the programme does not cover them); for a
    unit outside the programme's subtree the whole chain to the top is given.
    """
    chain: list[Crumb] = []
    code: str | None = org_code
    seen: set[str] = set()
    while code and code not in seen:
        seen.add(code)
        unit = OrgUnit.objects.filter(code=code).only("code", "name", "parent_id").first()
        if unit is None:
            break
        chain.append(Crumb(unit.code, unit.name))
        if unit.code == root_code:
            break
        code = unit.parent_id
    chain.reverse()
    try:
        root_prefix = subtree_prefix(root_code)
    except ValueError:
        return tuple(chain)
    inside = [c for c in chain if c.code.startswith(root_prefix)]
    return tuple(inside) if org_code.startswith(root_prefix) else tuple(chain)


def key_indicators(
    scorecard: Scorecard, spec: ProgrammeSpec, *, limit: int | None
) -> tuple[IndicatorResult, ...]:
    """The indicators the drill-down shows: veto-linked first, then those not met here, then
    the rest in plan order; at most ``limit`` (``None``: all, in plan order)."""
    if limit is None:
        return scorecard.indicators
    veto_linked = [v.indicator for v in spec.vetoes if v.rule == "indicator" and v.indicator]
    order: list[str] = []
    for code in veto_linked:
        if code not in order:
            order.append(code)
    for status in (
        Status.NOT_MET,
        Status.NO_DATA,
        Status.INCOMPLETE,
        Status.EVIDENCE_NEEDED,
        Status.MET,
        Status.ANNUAL,
        Status.NOT_APPLICABLE,
    ):
        order += [
            i.code for i in scorecard.indicators if i.status is status and i.code not in order
        ]
    by_code = {i.code: i for i in scorecard.indicators}
    return tuple(by_code[c] for c in order[:limit] if c in by_code)


def scorecard_page(
    *, org_code: str, period_code: str, as_of: date | None = None, all_indicators: bool = False
) -> ScorecardPage:
    """Evaluate the scorecard of ``org_code`` for ``period_code`` and of each direct child unit.

    Raises :class:`~foodsafe.scorecard.periods.PeriodError` for a malformed period and
    :class:`~foodsafe.scorecard.engine.UnknownOrgUnit` for a code not in the org-unit tree.
    """
    period = parse_period(period_code)
    spec = programme_spec()
    # The unit and all its children in one engine run: one grouped query per relation.
    child_codes = [child.code for child in child_units(org_code)]
    cards = cached_scorecards(
        spec=spec, org_units=[org_code, *child_codes], period=period, as_of=as_of
    )
    scorecard = cards[0]
    keys = key_indicators(scorecard, spec, limit=None if all_indicators else KEY_INDICATOR_LIMIT)
    children = []
    for child_card in cards[1:]:
        by_code = {i.code: i for i in child_card.indicators}
        children.append(ChildRow(child_card, tuple(by_code.get(k.code) for k in keys)))
    return ScorecardPage(
        scorecard=scorecard,
        groups=tuple(grouped(scorecard)),
        key_indicators=keys,
        all_indicators=all_indicators,
        children=tuple(children),
        breadcrumbs=org_unit_breadcrumbs(org_code, spec.programme.org_unit),
        periods=period_options(period),
        finding_vetoes=frozenset(v.code for v in spec.vetoes if v.rule == "finding"),
    )


def scorecard_for_report(*, org_code: str, period_code: str) -> tuple[Scorecard, ProgrammeSpec]:
    """The scorecard of ``org_code`` for ``period_code`` as its page shows it, and the spec in
    force, for the Word report and the Excel scorecard downloaded from that page.

    The same engine run as :func:`scorecard_page` (the unit with its direct children, as of the
    default date), so with the scorecard cache on the download reuses the page's result. The
    engine is loaded by ``cached_scorecards`` when it computes: only a request that computes
    pays for it. Raises ``PeriodError`` and ``UnknownOrgUnit`` as :func:`scorecard_page` does.
    """
    period = parse_period(period_code)
    spec = programme_spec()
    child_codes = [child.code for child in child_units(org_code)]
    cards = cached_scorecards(spec=spec, org_units=[org_code, *child_codes], period=period)
    return cards[0], spec

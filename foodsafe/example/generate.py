"""The example district (示例数据): 和平区, Tianjin, in 2021, as ledger files to import.

``foodsafe example-district --out DIR [--population 355000] [--seed 2021]`` writes one .xlsx
per ledger, with exactly the headers the importer expects, plus ``manifest.json`` and a
``README.txt``; loading it is exactly ``foodsafe import-dir DIR``. Everything is made up and
marked so: unit names end with "（示例）" and carry 示例数据 = 是, business, school, depot,
staff and complainant names carry "示例", and the README says 示例数据 / example data.

**Deterministic.** All randomness comes from one ``random.Random(seed)``, consumed in a fixed
order, never from set iteration or the clock; the workbooks' creation time is fixed. The same
``--population`` and ``--seed`` give the same bytes.

**Shape** (from 和平政办〔2021〕8号, the district plan):

- Org units 天津市 120000000000 → 天津市市辖区 120100000000 → 和平区 120101000000 → the six
  subdistricts 劝业场 …001000, 小白楼 …002000, 五大道 …003000, 新兴 …004000, 南营门 …005000,
  南市 …006000. ``--population`` is the 2021 resident population; 2020 is 0.4% higher; both
  are split over the subdistricts by fixed shares, and the district row is their sum.
- Food businesses: about 4 per 1,000 residents. Real registries hold about 15 per 1,000
  (most of them small shops, eateries and stalls); a quarter of that keeps the example quick
  to generate, import and read while keeping every format: production (manufacturer, small
  workshop), circulation (supermarket, grocery, produce market, wholesale market, chain HQ,
  large wholesaler, stall), catering (restaurant, small eatery, school, workplace and central
  kitchens, group-meal distributor) and online ordering platforms. A few opened or closed in
  2020–2021.
- Inspections 2020–2021 by risk level (A 1, B 1–2, C 2–3, D 3–4 a year) with findings;
  term-start inspections of school canteens each spring and autumn; sampling batches
  (surveillance, evaluation, risk monitoring, and rapid tests that do not count) with test
  items, residues for produce; cases; complaints and reports with statutory deadlines; staff
  and their training; school canteens; stored grain and its monitoring; self-inspection
  reports; 1,200 survey responses (with 城乡, 性别, 年龄段) and made-up 2020 census cells to
  weight them to; one general (一般, IV) incident in 2020 with no wide impact.

**The 2021 district scorecard shows deliberate gaps** (target in brackets):

- sampling 3.6 batches per 1,000 residents, counting surveillance + evaluation + risk
  monitoring; rapid tests are generated but do not count (≥ 4: not met);
- residue sampling 2.2 batches per 1,000 (≥ 2: met);
- evaluation-sampling pass rate 98.5% (≥ 98%: met);
- satisfaction 84 points (≥ 80: met); awareness 88% (≥ 85%: met);
- food complaints received in 2021 handled on time 96% (≥ 98%: not met); on time = decided
  by ``acceptance_due_on`` and, if accepted, closed by ``closing_due_on`` and the end told
  (the example tells it the day mediation ends);
- bright kitchen missing at 2 school canteens of one subdistrict (100%: not met);
- autumn 2021 term-start inspection missed at 1 canteen (100%: not met);
- full-checklist inspection in the 24 months to 2021-12-31 of the businesses open that day
  97% (every operator every two years: not met);
- grain monitoring 27% of the stock (≥ 25%: met), every problem handled (100%: met);
- professional staff 75% (≥ 70%: met); training coverage 100% (met), but a few inspectors
  below 40 class hours (not met);
- case filing and closing 100% (all 2021 cases closed by 2021-12-31); self-inspection report
  rate 100%; every surveillance coverage cell (stage × format) sampled;
- liability insurance (第20条): one school canteen of the weak subdistrict never insured and one
  group-meal distributor's policy lapsed on 2021-10-31 (100%: not met);
- three small eateries or stalls of the weak subdistrict never registered or filed (第17条,
  100%: not met);
- the "three smalls": problems found are closed by a re-inspection (复查) except the weak
  subdistrict's last two of 2021 (and any found too late in December to re-inspect) (第28条,
  100%: not met);
- food handlers: 6 of the weak subdistrict's small-eatery staff with an expired health
  certificate; one 规模以上 producer's HACCP expired 2021-08-31 (第18条, 100%: not met);
- the weak subdistrict's sentinel hospital missed its July 2021 report and one 2021
  foodborne-disease event was reported two days late (第3条, 100%: not met); the emergency plan
  was revised in 2021 and a live drill held in the office's name (第14条: met).

The weak subdistrict (南市街道) carries a larger part of every gap, so drill-down differs.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from . import businesses as business_rows
from . import capacity, inspections, obligations, public, sampling
from .district import SUBDISTRICTS, YEAR, District, org_units, per_thousand
from .writer import write_directory

DEFAULT_POPULATION = 355_000
DEFAULT_SEED = 2021
#: Businesses per 1,000 residents (see the module docstring for why not ~15).
BUSINESSES_PER_THOUSAND = 4


def build_district(*, population: int = DEFAULT_POPULATION, seed: int = DEFAULT_SEED) -> District:
    """Generate every ledger's rows in memory (no files, no database)."""
    if population < 10_000:
        raise ValueError("population must be at least 10,000 for the example district")
    district = District(population=population, seed=seed)
    org_units(district)
    business_rows.businesses(district, per_thousand(BUSINESSES_PER_THOUSAND, population))
    capacity.staff(district, population)
    inspections.inspections(district)
    sampling.sampling(district)
    inspections.cases(district, population)
    public.complaints(district)
    public.surveys(district)
    public.census_cells(district)  # no random draw
    public.incidents(district)
    capacity.grain(district, population)
    obligations.obligations(district)  # issue 19: its own random source, added last
    return district


def generate_example_district(
    *, out: Path, population: int = DEFAULT_POPULATION, seed: int = DEFAULT_SEED
) -> dict[str, int]:
    """Write the example district's ledger files into ``out``; returns rows per ledger."""
    district = build_district(population=population, seed=seed)
    counts = {name: len(rows) for name, rows in district.rows.items()}
    write_directory(out, district.rows, readme(district, counts))
    write_zero_reports(out / ZERO_REPORTS, zero_reports(district))
    return counts


#: The zero reports (零报告) of the example district, loaded by
#: ``foodsafe zero-report --file DIR/zero_reports.csv --as USER`` (scripts/demo.sh).
ZERO_REPORTS = "zero_reports.csv"


def zero_reports(district: District) -> list[dict[str, str]]:
    """One zero report for the incident ledger per subdistrict and year 2019–2021 in which it
    had no incident: the incident ledger is reported by every subdistrict (spec ``reporting``),
    and without rows or a zero report the incident vetoes read 无数据, not 未触发."""
    had = {(str(r["org_unit"]), r["occurred_on"].year) for r in district.rows.get("incidents", [])}
    return [
        {
            "ledger": "incidents",
            "org_unit": sub.code,
            "period": str(year),
            "note": "示例：本年度无食品安全事件",
        }
        for year in range(YEAR - 2, YEAR + 1)
        for sub in SUBDISTRICTS
        if (sub.code, year) not in had
    ]


def write_zero_reports(path: Path, rows: list[dict[str, str]]) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["ledger", "org_unit", "period", "note"])
        writer.writeheader()
        writer.writerows(rows)


def readme(district: District, counts: dict[str, int]) -> str:
    facts = district.facts
    formats = Counter(b["business_format"] for b in district.businesses.values())
    lines = [
        "示例数据 / EXAMPLE DATA",
        "",
        "本目录中的全部数据均为程序生成的示例数据（虚构），不是和平区的真实台账。",
        "All data in this directory is generated example data (fictitious), not real ledgers",
        "of 和平区 (Heping District, Tianjin).",
        "",
        f"生成参数 / arguments: --population {district.population} --seed {district.seed}",
        "导入 / load: foodsafe import-dir <this directory>",
        "",
        "台账行数 / rows per ledger:",
        *(f"  {name}: {count}" for name, count in counts.items()),
        "",
        "有意设置的差距（2021年，全区）/ deliberate gaps (2021, district):",
        "  抽检量 3.6 批次/千人（目标 ≥4）/ sampling 3.6 batches per 1,000 (target 4)",
        f"  食品类投诉按时办结率约 96%（{facts.get('late_food_complaints')} 件超期，共 "
        f"{facts.get('food_complaints')} 件）/ on-time complaints ~96%",
        f"  学校食堂互联网+明厨亮灶缺 {len(facts.get('canteens_without_bright_kitchen', []))} 家"
        f"（{SUBDISTRICTS[-1].name}）/ bright kitchen missing at 2 canteens",
        f"  秋季开学检查漏检 1 家（{facts.get('missed_autumn_term_start')}）/ autumn term-start check missed",
        f"  两年内全项目检查覆盖率约 97%（{len(facts.get('uninspected', []))} 家未检查）"
        " / two-year inspection coverage ~97%",
        f"  培训不足 40 学时 {facts.get('inspectors_under_40_hours')} 人 / staff under 40 class hours",
        f"  食品安全责任保险：{facts.get('uninsured_canteen')} 未投保，{facts.get('lapsed_policy')}"
        " 保单 2021-10-31 到期未续保 / liability insurance: one canteen uninsured, one lapsed",
        f"  “三小”未登记备案 {len(facts.get('unregistered_smalls', []))} 家（{SUBDISTRICTS[-1].name}）"
        " / small operators not registered",
        f"  “三小”检查发现问题未整改到位：{'、'.join(facts.get('open_small_problems', []))}"
        " / small operators' problems still open",
        "",
        f"业态 / formats: {', '.join(f'{k} {v}' for k, v in sorted(formats.items()))}",
        f"年度 / year: {YEAR}",
        "",
    ]
    return "\n".join(lines)

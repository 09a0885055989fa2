"""Replay benchmark of the risk-ranked inspection order (issue 13 §5; docs/inspection-order.md).

For each 2-month window: keep the routine (full-checklist) inspections actually done, the first
per operator; reorder them at the same daily capacity (the k-th of the new order takes the k-th
actual date) by the model trained on the inspections before the window, by the one-line
baseline, at random and by the real outcome (the ceiling); report how many days earlier the
inspections with a bad outcome would have been done. Features are what a planner knows at the
window's start; nothing in the window reaches the model.

    .venv/bin/python benchmarks/inspection_order.py            # SF 2017 and the synthetic city
    .venv/bin/python benchmarks/inspection_order.py --no-synthetic
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
RANDOM_ORDERS = 1000
SEED = 2017


def windows(year: int) -> list[tuple[date, date]]:
    """The six 2-month windows of a year, [start, end)."""
    starts = [date(year, m, 1) for m in (1, 3, 5, 7, 9, 11)]
    return [(s, date(year + (s.month == 11), (s.month + 1) % 12 + 1, 1)) for s in starts]


def replay(histories: Sequence, spans: Sequence[tuple[date, date]], *, serious: bool) -> dict:
    from scipy import stats

    from foodsafe.riskrank import replay as R
    from foodsafe.riskrank.features import snapshot
    from foodsafe.riskrank.history import BAD_RESULTS, SERIOUS_RESULTS
    from foodsafe.riskrank.ranking import rank_histories

    outcome = SERIOUS_RESULTS if serious else BAD_RESULTS
    rng = np.random.default_rng(SEED)
    earlier: dict[str, list[np.ndarray]] = defaultdict(list)
    half: dict[str, list[np.ndarray]] = defaultdict(list)
    methods: set[str] = set()
    per_window = []
    for start, end in spans:
        pairs = []
        for h in histories:
            done = [
                i
                for i in h.inspections
                if start <= i.on < end and i.full_checklist and i.result != "not_scored"
            ]
            if done:
                first = done[0]
                pairs.append((h, R.Visit(h.operator_id, first.on, first.result in outcome)))
        visits = [v for _, v in pairs]
        ranked = rank_histories([h for h, _ in pairs], histories, as_of=start, outcome=outcome)
        methods.update(r.method for r in ranked)
        place = {r.operator_id: r.rank for r in ranked}
        orders = {
            "actual": R.actual_order(visits),
            "model": R.order_by([place[v.operator_id] for v in visits]),
            "baseline": R.order_by([R.baseline_key(snapshot(h, as_of=start)) for h, _ in pairs]),
            "ceiling": R.ceiling_order(visits),
        }
        for name, order in orders.items():
            earlier[name].append(R.days_earlier(visits, order))
            half[name].append(R.in_first_half(visits, order, start=start, end=end))
        rand_e, rand_h = [], []
        for _ in range(RANDOM_ORDERS):
            order = [int(i) for i in rng.permutation(len(visits))]
            rand_e.append(R.days_earlier(visits, order))
            rand_h.append(R.in_first_half(visits, order, start=start, end=end))
        earlier["random"].append(np.asarray(rand_e))
        half["random"].append(np.asarray(rand_h))
        per_window.append((start, end, len(visits), int(sum(v.bad for v in visits))))
    out: dict = {"windows": per_window, "methods": sorted(methods), "rows": {}}
    for name in ("actual", "random", "baseline", "model", "ceiling"):
        if name == "random":
            e = np.concatenate(earlier[name], axis=1)  # orders × bad visits, pooled
            h = np.concatenate(half[name], axis=1)
            means = e.mean(axis=1)
            out["random_means"] = means
            out["rows"][name] = R.Summary(
                n=e.shape[1],
                mean=float(means.mean()),
                median=float(np.median(np.median(e, axis=1))),
                later_share=float((e < 0).mean()),
                first_half=float(h.mean()),
            )
        else:
            out["rows"][name] = R.Summary.of(
                np.concatenate(earlier[name]), np.concatenate(half[name])
            )
            out[name] = np.concatenate(earlier[name])
    model, base = out["model"], out["baseline"]
    out["p_model_vs_zero"] = float(stats.wilcoxon(model, alternative="greater").pvalue)
    diff = model - base
    out["p_model_vs_baseline"] = (
        float(stats.wilcoxon(diff, alternative="greater").pvalue) if diff.any() else 1.0
    )
    out["p_model_vs_random"] = float(
        (1 + (out["random_means"] >= model.mean()).sum()) / (1 + len(out["random_means"]))
    )
    out["p_baseline_vs_random"] = float(
        (1 + (out["random_means"] >= base.mean()).sum()) / (1 + len(out["random_means"]))
    )
    return out


def show(title: str, res: dict) -> None:
    print(f"\n## {title}")
    for start, end, n, bad in res["windows"]:
        print(f"  window {start} – {end}: {n} inspections, {bad} with the outcome")
    print(f"  ranking method used: {', '.join(res['methods'])}")
    print(
        f"  {'order':<10}{'bad':>6}{'mean days earlier':>19}{'median':>8}"
        f"{'found later':>13}{'in 1st half':>13}"
    )
    for name in ("actual", "random", "baseline", "model", "ceiling"):
        s = res["rows"][name]
        print(
            f"  {name:<10}{s.n:>6}{s.mean:>19.2f}{s.median:>8.1f}"
            f"{s.later_share:>12.1%}{s.first_half:>13.1%}"
        )
    lo, hi = np.percentile(res["random_means"], [2.5, 97.5])
    print(f"  random orders ({RANDOM_ORDERS}): 95% of pooled means in [{lo:.2f}, {hi:.2f}]")
    print(
        "  model: Wilcoxon signed-rank, days earlier > 0: "
        f"p = {res['p_model_vs_zero']:.2g}; paired vs baseline (model − baseline > 0): "
        f"p = {res['p_model_vs_baseline']:.2g}; vs random orders (permutation): "
        f"p = {res['p_model_vs_random']:.2g}"
    )
    print(f"  baseline vs random orders (permutation): p = {res['p_baseline_vs_random']:.2g}")


def synthetic_histories(population: int, seed: int, workdir: Path) -> tuple[list, str]:
    import re
    from io import StringIO

    from django.core.management import call_command

    from foodsafe.riskrank.selectors import operator_histories

    call_command("migrate", verbosity=0, interactive=False)
    buf = StringIO()
    call_command("generate", population=population, seed=seed, stdout=buf)
    found = re.search(r"(\d{12})", buf.getvalue())
    if not found:
        sys.exit(f"cannot read the generate summary:\n{buf.getvalue()}")
    code = found[1]
    return operator_histories(org_unit_prefix=code[:6], before=date(2100, 1, 1)), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sf-dir", default=None, help="SF data (default ../shared/data/…)")
    parser.add_argument("--no-synthetic", action="store_true")
    parser.add_argument("--population", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="inspection-order-"))
    # The synthetic city goes into a fresh SQLite file, never the developer's database.
    os.environ["DATABASE_URL"] = f"sqlite:///{work}/synthetic.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodsafe.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate("zh-hans")
    from sf_inspections import SF_DIR, load_sf

    t0 = time.perf_counter()
    sf = load_sf(Path(args.sf_dir) if args.sf_dir else SF_DIR)
    hs = list(sf.histories.values())
    print(f"# Replay of the risk-ranked order (issue 13 §5); {len(hs)} SF businesses")
    spans = windows(2017)
    show(
        "San Francisco 2017, outcome score ≤ 85, six 2-month windows pooled",
        replay(hs, spans, serious=False),
    )
    show(
        "San Francisco 2017, outcome score ≤ 70, six 2-month windows pooled",
        replay(hs, spans, serious=True),
    )
    print(f"\n(SF: {time.perf_counter() - t0:.0f} s)")
    if not args.no_synthetic:
        t0 = time.perf_counter()
        syn, code = synthetic_histories(args.population, args.seed, work)
        print(
            f"\n# Synthetic city {code} (population {args.population:,}, seed {args.seed}): "
            f"{len(syn)} operators"
        )
        show(
            "Synthetic 2021, outcome 限期整改 or 不符合, six 2-month windows pooled",
            replay(syn, windows(2021), serious=False),
        )
        print(f"\n(synthetic: {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()

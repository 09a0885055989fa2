"""Every variant tried for the risk-ranked order on San Francisco (issue 13 §5 target;
docs/inspection-order.md, "Variants tried"): features, regularisation, training span, models.

Each variant is judged by the same replay as benchmarks/inspection_order.py (first routine
inspection per business in each 2-month window, the k-th in the order takes the k-th actual
date; outcome score ≤ 85), on two sets of windows:
- **validation**: the six windows of 2016, where the choice is made: a variant replaces the
  shipped one when its mean days earlier there is higher by at least 0.25 day (the paired
  Wilcoxon p beside it is shown, not used: it tests the median of per-inspection differences);
- **report**: the six windows of 2017, the issue's figures, not used to choose (but printed by
  the same runs, so seen while choosing: not a blind test).
Every model learns only from inspections before the window's start (features as of each
inspection's own date, the app's ``snapshot``), and ranks on the features as of the start.

    .venv/bin/python benchmarks/inspection_order_variants.py            # both years
    .venv/bin/python benchmarks/inspection_order_variants.py --year 2017
(each year about 5 min on an idle core; 15–20 min on the shared machine)
"""

from __future__ import annotations

import bisect
import csv
import math
import os
import re
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
SPAN = timedelta(days=3 * 365)


def windows(year: int) -> list[tuple[date, date]]:
    starts = [date(year, m, 1) for m in (1, 3, 5, 7, 9, 11)]
    return [(s, date(year + (s.month == 11), (s.month + 1) % 12 + 1, 1)) for s in starts]


def main() -> None:  # noqa: C901, PLR0915 (one script, read top to bottom)
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, choices=(2016, 2017), action="append")
    years = parser.parse_args().year or [2016, 2017]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodsafe.settings")
    import django

    django.setup()
    from scipy import sparse, stats
    from sf_inspections import SF_DIR, load_sf
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from foodsafe.riskrank import replay as R
    from foodsafe.riskrank.features import FEATURE_NAMES, MAX_DAYS, Snapshot, snapshot, vector

    warnings.filterwarnings("ignore", category=FutureWarning)
    t0 = time.perf_counter()
    hs = list(load_sf(SF_DIR).histories.values())
    n_base = len(FEATURE_NAMES)

    # --- extra candidate features, all from records before the date (Snapshot's past only) ---
    def past(s: Snapshot) -> list:
        return [i for i in s.history.inspections if i.on < s.as_of]

    def extra(s: Snapshot) -> list[float]:
        p = past(s)
        last3 = p[-3:]
        trend = 0.0
        if s.last and s.previous and s.last.score is not None and s.previous.score is not None:
            trend = float(s.last.score - s.previous.score)
        bads = [i for i in p if i.bad]
        since_bad = min((s.as_of - bads[-1].on).days, MAX_DAYS) if bads else MAX_DAYS
        scored = [i.score for i in last3 if i.score is not None]
        return [
            trend,
            float(sum(i.high for i in last3)),
            float(sum(i.moderate for i in last3)),
            float(sum(i.low for i in last3)),
            math.log1p(since_bad),
            float(len(p)),
            math.log1p((s.as_of - p[0].on).days) if p else 0.0,
            float(min(scored)) if scored else 90.0,
        ]

    extra_names = ["trend", "high3", "mod3", "low3", "since_bad", "n_insp", "known", "min3"]

    # zip-code rate of bad outcomes before the date (smoothed towards the city's rate)
    zips: dict[int, str] = {}
    with open(SF_DIR / "businesses.csv", encoding="cp1252", newline="") as f:
        for r in csv.DictReader(f):
            zips[int(r["business_id"])] = (r["postal_code"] or "")[:5]
    events: dict[str, list[tuple[date, bool]]] = defaultdict(list)
    for h in hs:
        for i in h.inspections:
            events[zips.get(h.operator_id, "")].append((i.on, i.bad))
    z_dates = {z: [d for d, _ in sorted(e)] for z, e in events.items()}
    z_cum = {z: np.cumsum([0] + [b for _, b in sorted(e)]) for z, e in events.items()}
    all_ev = sorted(e for es in events.values() for e in es)
    g_dates, g_cum = [d for d, _ in all_ev], np.cumsum([0] + [b for _, b in all_ev])

    def area(oid: int, on: date) -> float:
        z = zips.get(oid, "")
        k = bisect.bisect_left(z_dates[z], on)
        kg = bisect.bisect_left(g_dates, on)
        city = g_cum[kg] / kg if kg else 0.2
        return float((z_cum[z][k] + 50 * city) / (k + 50))

    # violations still open on the date (no correction dated before it) and correction lag
    corrected: dict[tuple[int, date], list[date | None]] = defaultdict(list)
    with open(SF_DIR / "violations.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            d = date(int(r["date"][:4]), int(r["date"][4:6]), int(r["date"][6:8]))
            m = re.search(r"corrected: (\d+)/(\d+)/(\d+)", r["description"])
            c = None
            if m:
                try:
                    c = date(int(m[3]), int(m[1]), int(m[2]))
                except ValueError:
                    c = None
            corrected[int(r["business_id"]), d].append(c)

    def open_violations(s: Snapshot) -> list[float]:
        p, oid = past(s), s.history.operator_id
        if not p:
            return [0.0, 0.0, 0.0]
        o_last = sum(1 for c in corrected.get((oid, p[-1].on), []) if c is None or c >= s.as_of)
        o3 = sum(
            1 for i in p[-3:] for c in corrected.get((oid, i.on), []) if c is None or c >= s.as_of
        )
        lags = [
            (c - i.on).days
            for i in p
            for c in corrected.get((oid, i.on), [])
            if c is not None and i.on <= c < s.as_of
        ]
        return [float(o_last), float(o3), math.log1p(float(np.mean(lags))) if lags else 0.0]

    open_names = ["open_last", "open3", "lag"]

    def row(h, on: date) -> tuple[list[float], list[float]]:
        s = snapshot(h, as_of=on)
        v = vector(s)
        last = s.last.score if s.last and s.last.score is not None else 90
        bands = [float(last <= 70), float(70 < last <= 85), float(85 < last <= 90)]
        more = extra(s) + [area(h.operator_id, on)] + open_violations(s) + bands
        return v[:n_base] + more, v[n_base:]

    names = [*FEATURE_NAMES, *extra_names, "area", *open_names, "b70", "b85", "b90"]
    col = {n: k for k, n in enumerate(names)}
    base_cols = list(range(n_base))

    rows, words, ys, days, who = [], [], [], [], []
    for h in hs:
        for i in h.inspections:
            a, w = row(h, i.on)
            rows.append(a)
            words.append(w)
            ys.append(i.bad)
            days.append(i.on)
            who.append(h.name)
    X_all, W_all, y_all = np.array(rows), np.array(words), np.array(ys)
    d_all, names_all = np.array(days), np.array(who)

    windows_data = {}
    for year in years:
        for start, end in windows(year):
            pairs = []
            for h in hs:
                done = [i for i in h.inspections if start <= i.on < end]
                if done:
                    pairs.append((h, done[0]))
            built = [row(h, start) for h, _ in pairs]
            windows_data[start] = (
                np.array([a for a, _ in built]),
                np.array([w for _, w in built]),
                [h.name for h, _ in pairs],
                [R.baseline_key(snapshot(h, as_of=start)) for h, _ in pairs],
                [R.Visit(h.operator_id, i.on, i.bad) for h, i in pairs],
            )
    print(f"(features built in {time.perf_counter() - t0:.0f} s)", file=sys.stderr)

    def lr(c: float = 0.1, **kw):
        return LogisticRegression(C=c, max_iter=3000, **kw)

    # A variant: (label, columns, words: None / "facility" / "all", model factory, span).
    Variant = tuple[str, list[int], str | None, Callable[[], object], timedelta]

    def std(cols: list[int], c: float = 0.1, **kw) -> Callable[[], object]:
        return lambda: make_pipeline(StandardScaler(), lr(c, **kw))

    def v(label, extra_cols=(), words=None, model=None, span=SPAN, c=0.1) -> Variant:
        cols = base_cols + [col[n] for n in extra_cols]
        return (label, cols, words, model or std(cols, c), span)

    all_extra = [*extra_names, "area"]
    variants: list[Variant] = [
        v("h-rank's model (before): 38 features, C = 0.1"),
        v("+ score trend (last − previous)", ["trend"]),
        v("+ high/moderate/low findings, last 3 inspections", ["high3", "mod3", "low3"]),
        v("+ days since the last bad outcome", ["since_bad"]),
        v("+ number of inspections, days since the first", ["n_insp", "known"]),
        v("+ lowest score of the last 3", ["min3"]),
        v("+ zip-code bad rate before the date", ["area"]),
        v("+ all of the six above", all_extra),
        v("+ violations still open on the date, correction lag", open_names),
        v("+ score band dummies (≤70, 71–85, 86–90)", ["b70", "b85", "b90"]),
        v("C = 0.003", c=0.003),
        v("C = 0.01", c=0.01),
        v("C = 0.03", c=0.03),
        v("C = 1", c=1.0),
        v("class_weight = balanced", model=std(base_cols, 0.1, class_weight="balanced")),
        v("training span 1 year", span=timedelta(days=365)),
        v("training span 2 years", span=timedelta(days=730)),
        v("+ all extras, C = 0.01", all_extra, c=0.01),
        v(
            "HistGradientBoosting, all extras",
            all_extra,
            model=lambda: HistGradientBoostingClassifier(
                max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40
            ),
        ),
        v("+ every name word (≥ 20 names; NOT shipped)", words="all"),
        v("+ facility-type name words (name_words.yaml) — shipped", words="facility"),
    ]

    def run(var: Variant, year: int) -> dict:
        label, cols, words_kind, make, span = var
        got, base = [], []
        for start, _end in windows(year):
            X, W, wnames, bkeys, visits = windows_data[start]
            m = (d_all < start) & (d_all >= start - span)
            Xt, Xw = X_all[m][:, cols], X[:, cols]
            if words_kind is None:
                model = make()
                model.fit(Xt, y_all[m])
                p = model.predict_proba(Xw)[:, 1]
            else:
                sc = StandardScaler().fit(Xt)
                if words_kind == "facility":  # exactly the app's model (model.fit)
                    Tt, Tw = sparse.csr_matrix(W_all[m]), sparse.csr_matrix(W)
                else:
                    cv = CountVectorizer(min_df=20, binary=True).fit(names_all[m])
                    Tt, Tw = cv.transform(names_all[m]), cv.transform(wnames)
                model = lr()
                model.fit(sparse.hstack([sc.transform(Xt), Tt]).tocsr(), y_all[m])
                p = model.predict_proba(sparse.hstack([sc.transform(Xw), Tw]).tocsr())[:, 1]
            order = sorted(range(len(visits)), key=lambda k: -p[k])
            got.append(R.days_earlier(visits, order))
            base.append(R.days_earlier(visits, R.order_by(bkeys)))
        e, b = np.concatenate(got), np.concatenate(base)
        return {"e": e, "b": b}

    def line(label: str, r: dict, ref: np.ndarray | None) -> str:
        e, b = r["e"], r["b"]
        d = e - b
        p = stats.wilcoxon(d, alternative="greater").pvalue if d.any() else 1.0
        vs_ref = ""
        if ref is not None:
            dr = e - ref
            pr = stats.wilcoxon(dr, alternative="greater").pvalue if dr.any() else 1.0
            vs_ref = f" {e.mean() - ref.mean():+.2f} (p {pr:.2g}) |"
        return (
            f"| {label} | {e.mean():.2f} | {np.median(e):.0f} | {(e < 0).mean():.1%} | "
            f"{e.mean() - b.mean():+.2f} | {p:.2g} |{vs_ref}"
        )

    for year, title in ((2016, "validation (2016)"), (2017, "report (2017)")):
        if year not in years:
            continue
        results = [(var[0], run(var, year)) for var in variants]
        ref = results[0][1]["e"]
        b = results[0][1]["b"]
        print(f"\n### SF {title}, score ≤ 85, six 2-month windows pooled ({len(b)} bad)")
        print(
            f"baseline: mean {b.mean():.2f}, median {np.median(b):.0f}, later {(b < 0).mean():.1%}"
        )
        print(
            "| variant | mean days earlier | median | found later | vs baseline | p (vs baseline) "
            "| vs h-rank's model (p) |"
        )
        print("|---|---|---|---|---|---|---|")
        for label, r in results:
            print(line(label, r, ref if label != results[0][0] else None), flush=True)
    print(f"\n({time.perf_counter() - t0:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()

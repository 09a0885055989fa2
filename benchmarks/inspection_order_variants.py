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
    .venv/bin/python benchmarks/inspection_order_variants.py --new --year 2016  # h-rank3's
(each year about 5 min on an idle core; 15–20 min on the shared machine. ``--new``: the last
untried ideas — same operator, same premises, age from the id sequence, neighbours, learned
violation-type weights, interactions, ensembles — against the shipped model, about 5 min a
year; ``--only TEXT`` runs the variants whose label contains TEXT. The rows are cached under
/tmp, keyed by the data files' and the feature code's modification times.)
"""

from __future__ import annotations

import bisect
import csv
import math
import os
import pickle
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
    parser.add_argument(
        "--only", action="append", help="run only the variants whose label contains this text"
    )
    parser.add_argument("--new", action="store_true", help="h-rank3's variants only")
    args = parser.parse_args()
    years = args.year or [2016, 2017]
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

    # The rows take minutes to build on the shared machine: cached under /tmp, keyed by the
    # data files' and the feature code's modification times (a scratch script, not app code).
    stamp = "-".join(
        str(int(p.stat().st_mtime))
        for p in (
            SF_DIR / "inspections.csv",
            SF_DIR / "violations.csv",
            SF_DIR / "businesses.csv",
            ROOT / "foodsafe" / "riskrank" / "features.py",
            ROOT / "foodsafe" / "riskrank" / "name_words.yaml",
            ROOT / "foodsafe" / "riskrank" / "severity.yaml",
            ROOT / "foodsafe" / "riskrank" / "replay.py",
            ROOT / "benchmarks" / "sf_inspections.py",
        )
    )
    cache = Path(f"/tmp/foodsafe-variants-{stamp}.pkl")  # noqa: S108 (scratch cache)
    if cache.exists():
        with open(cache, "rb") as fh:
            X_all, W_all, y_all, d_all, names_all, ids_all, windows_data = pickle.load(fh)  # noqa: S301 (our own file)
    else:
        rows, words, ys, days, who, ids = [], [], [], [], [], []
        for h in hs:
            for i in h.inspections:
                a, w = row(h, i.on)
                rows.append(a)
                words.append(w)
                ys.append(i.bad)
                days.append(i.on)
                who.append(h.name)
                ids.append(h.operator_id)
        X_all, W_all, y_all = np.array(rows), np.array(words), np.array(ys)
        d_all, names_all, ids_all = np.array(days), np.array(who), np.array(ids)

        windows_data = {}
        for year in (2016, 2017):
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
        with open(cache, "wb") as fh:
            pickle.dump((X_all, W_all, y_all, d_all, names_all, ids_all, windows_data), fh)
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
        if year not in years or args.new:
            continue
        chosen = [
            var
            for k, var in enumerate(variants)
            if k == 0 or not args.only or any(o in var[0] for o in args.only)
        ]
        results = [(var[0], run(var, year)) for var in chosen]
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
    if not args.new:
        print(f"\n({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        return

    # --- h-rank3: the last untried ideas (operator, premises, age, neighbours, violation types,
    # ensembles). Every one reads only inspections dated before the date asked about; the one
    # input without a date is businesses.csv itself (phone, name, address, coordinates, id). ---
    from scipy.stats import rankdata
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.neighbors import BallTree

    biz: dict[int, dict[str, str]] = {}
    with open(SF_DIR / "businesses.csv", encoding="cp1252", newline="") as f:
        for r in csv.DictReader(f):
            biz[int(r["business_id"])] = r
    ev = {h.operator_id: [(i.on, i.bad, float(i.score or 0)) for i in h.inspections] for h in hs}
    own_d = {b: [d for d, _, _ in e] for b, e in ev.items()}
    own_b = {b: np.cumsum([0] + [x for _, x, _ in e]) for b, e in ev.items()}
    own_s = {b: np.cumsum([0.0] + [s for _, _, s in e]) for b, e in ev.items()}
    all_s = sorted((d, s) for e in ev.values() for d, _, s in e)
    g_scores = np.cumsum([0.0] + [s for _, s in all_s])
    SMOOTH = 10.0

    def city(d: date) -> tuple[float, float]:
        k = bisect.bisect_left(g_dates, d)
        return (g_cum[k] / k, g_scores[k] / k) if k else (0.2, 90.0)

    def own_before(b: int, d: date) -> tuple[int, int, float]:
        if b not in own_d:
            return 0, 0, 0.0
        k = bisect.bisect_left(own_d[b], d)
        return k, int(own_b[b][k]), float(own_s[b][k])

    def group_feature(key_of: dict[int, str]) -> Callable[[int, date], list[float]]:
        """Siblings (same key, the business itself left out): their bad-outcome rate and mean
        score before the date, smoothed towards the city's; their inspections; how many of them
        had been inspected before the date."""
        members: dict[str, list[int]] = defaultdict(list)
        for b, k in key_of.items():
            if k:
                members[k].append(b)
        groups = {k: ms for k, ms in members.items() if len(ms) > 1}
        g_ev = {k: sorted(e for b in ms for e in ev.get(b, [])) for k, ms in groups.items()}
        g_d = {k: [d for d, _, _ in e] for k, e in g_ev.items()}
        g_b = {k: np.cumsum([0] + [x for _, x, _ in e]) for k, e in g_ev.items()}
        g_s = {k: np.cumsum([0.0] + [s for _, _, s in e]) for k, e in g_ev.items()}
        g_first = {k: sorted(own_d[b][0] for b in ms if b in own_d) for k, ms in groups.items()}

        def f(b: int, d: date) -> list[float]:
            c_rate, c_score = city(d)
            k = key_of.get(b, "")
            if k not in g_ev:
                return [0.0, 0.0, 0.0, 0.0]
            n = bisect.bisect_left(g_d[k], d)
            nb, ns = int(g_b[k][n]), float(g_s[k][n])
            on, ob, os_ = own_before(b, d)
            n, nb, ns = n - on, nb - ob, ns - os_
            sites = bisect.bisect_left(g_first[k], d) - int(on > 0)
            rate = (nb + SMOOTH * c_rate) / (n + SMOOTH)
            score = (ns + SMOOTH * c_score) / (n + SMOOTH)
            return [rate - c_rate, score - c_score, math.log1p(n), math.log1p(max(sites, 0))]

        return f

    def norm_name(name: str) -> str:
        n = name.upper().split(" - ")[0].split("@")[0].split("#")[0]
        n = re.sub(r"\b(INC|LLC|CORP|CO|LTD|THE)\b", " ", re.sub(r"[^A-Z ]", " ", n))
        return " ".join(n.split())

    def norm_address(a: str) -> str:
        return " ".join(a.upper().split(",")[0].split())

    phone = {b: (r["phone_number"] or "").strip() for b, r in biz.items()}
    name_key = {b: norm_name(r["name"]) for b, r in biz.items()}
    # one operator: the union of same-phone and same-normalised-name groups (union-find)
    parent = {b: b for b in biz}

    def find(b: int) -> int:
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    for key in (phone, name_key):
        firsts: dict[str, int] = {}
        for b, k in key.items():
            if k:
                if k in firsts:
                    parent[find(b)] = find(firsts[k])
                else:
                    firsts[k] = b
    operator = {b: str(find(b)) for b in biz}
    premises = {b: norm_address(r["address"]) for b, r in biz.items()}
    f_phone, f_name = group_feature(phone), group_feature(name_key)
    f_oper, f_prem = group_feature(operator), group_feature(premises)

    # spatial neighbours: within 200 m, and the 10 nearest (only businesses with coordinates)
    coords = {
        b: (float(r["latitude"]), float(r["longitude"]))
        for b, r in biz.items()
        if r["latitude"] and float(r["latitude"] or 0) > 30
    }
    cb = list(coords)
    tree = BallTree(np.radians([coords[b] for b in cb]), metric="haversine")
    near200 = tree.query_radius(np.radians([coords[b] for b in cb]), r=200 / 6_371_000)
    _, near10 = tree.query(np.radians([coords[b] for b in cb]), k=11)
    hood200 = {b: [cb[j] for j in near200[k] if cb[j] != b] for k, b in enumerate(cb)}
    hood10 = {b: [cb[j] for j in near10[k] if cb[j] != b][:10] for k, b in enumerate(cb)}

    def spatial(hood: dict[int, list[int]]) -> Callable[[int, date], list[float]]:
        def f(b: int, d: date) -> list[float]:
            c_rate, c_score = city(d)
            if b not in hood:
                return [0.0, 0.0, 0.0, 1.0]
            n = nb = 0
            ns = 0.0
            for o in hood[b]:
                k, x, s = own_before(o, d)
                n, nb, ns = n + k, nb + x, ns + s
            rate = (nb + SMOOTH * c_rate) / (n + SMOOTH)
            score = (ns + SMOOTH * c_score) / (n + SMOOTH)
            return [rate - c_rate, score - c_score, math.log1p(n), 0.0]

        return f

    f_near200, f_near10 = spatial(hood200), spatial(hood10)

    # age from the id sequence: ids are handed out in order, so a business was registered no
    # later than the first inspection of any business with a higher id (inspected before d)
    first_ids = np.array(sorted(own_d))
    first_on = np.array([own_d[b][0].toordinal() for b in first_ids])

    def registered(b: int, d: date) -> date:
        m = (first_ids >= b) & (first_on < d.toordinal())
        return date.fromordinal(int(first_on[m].min())) if m.any() else d

    age_col = [col["age_years"], col["age_unknown"], col["new_business"]]

    def age(b: int, d: date) -> list[float]:
        years = (d - registered(b, d)).days / 365.25
        return [min(years, 20.0), 0.0, float(years < 1)]

    # violation types at the last inspection before the date (for the per-type weights)
    types_at: dict[tuple[int, date], frozenset[str]] = defaultdict(frozenset)
    with open(SF_DIR / "violations.csv", encoding="utf-8", newline="") as f:
        acc: dict[tuple[int, date], set[str]] = defaultdict(set)
        for r in csv.DictReader(f):
            d = date(int(r["date"][:4]), int(r["date"][4:6]), int(r["date"][6:8]))
            acc[int(r["business_id"]), d].add(r["description"].split("[")[0].strip())
        types_at.update({k: frozenset(v) for k, v in acc.items()})

    def prev_types(b: int, d: date) -> frozenset[str]:
        k, _, _ = own_before(b, d)
        return types_at.get((b, own_d[b][k - 1]), frozenset()) if k else frozenset()

    # per-row inputs, computed once: training rows (own id, own date), window rows (id, start)
    keys_all = list(zip(ids_all.tolist(), d_all.tolist(), strict=True))
    keys_win = {s: [(v.operator_id, s) for v in w[4]] for s, w in windows_data.items()}

    def table(fn: Callable[[int, date], list[float]]) -> tuple[np.ndarray, dict]:
        return (
            np.array([fn(b, d) for b, d in keys_all]),
            {s: np.array([fn(b, d) for b, d in ks]) for s, ks in keys_win.items()},
        )

    t1 = time.perf_counter()
    extras = {
        "phone": table(f_phone),
        "name": table(f_name),
        "operator": table(f_oper),
        "premises": table(f_prem),
        "near200": table(f_near200),
        "near10": table(f_near10),
        "age": table(age),
    }
    ptypes_all = [prev_types(b, d) for b, d in keys_all]
    ptypes_win = {s: [prev_types(b, d) for b, d in ks] for s, ks in keys_win.items()}
    print(f"(new features in {time.perf_counter() - t1:.0f} s)", file=sys.stderr)

    def type_weights(rows: list[frozenset[str]], y: np.ndarray) -> dict[str, float]:
        """Per violation type: logit of the smoothed share of bad next outcomes among rows whose
        previous inspection had it, minus the logit of the overall share (target encoding)."""
        p0 = float(y.mean())
        n: dict[str, int] = defaultdict(int)
        nb: dict[str, int] = defaultdict(int)
        for ts, yy in zip(rows, y, strict=True):
            for t in ts:
                n[t] += 1
                nb[t] += int(yy)
        a = 30.0

        def logit(q: float) -> float:
            return math.log(q / (1 - q))

        return {t: logit((nb[t] + a * p0) / (n[t] + a)) - logit(p0) for t in n}

    def encode(rows: list[frozenset[str]], w: dict[str, float]) -> np.ndarray:
        out = []
        for ts in rows:
            ws = [w.get(t, 0.0) for t in ts]
            out.append([sum(ws), max(ws, default=0.0)])
        return np.array(out)

    def type_feature(start: date, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        idx = np.flatnonzero(m)
        rows = [ptypes_all[i] for i in idx]
        y = y_all[idx]
        # training rows get weights fitted without their own fold (5 folds by business)
        fold = ids_all[idx] % 5
        et = np.zeros((len(idx), 2))
        for k in range(5):
            w = type_weights([r for r, f in zip(rows, fold, strict=True) if f != k], y[fold != k])
            sel = np.flatnonzero(fold == k)
            et[sel] = encode([rows[i] for i in sel], w)
        return et, encode(ptypes_win[start], type_weights(rows, y))

    # a new variant: (label, feature builder, model kind)
    def with_extra(*names: str) -> Callable[[date, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        def build(start: date, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            Xt, Xw = X_all[m][:, base_cols], windows_data[start][0][:, base_cols]
            parts_t, parts_w = [Xt], [Xw]
            for n in names:
                if n == "types":
                    et, ew = type_feature(start, m)
                elif n == "age":
                    Xt, Xw = Xt.copy(), Xw.copy()
                    Xt[:, age_col], Xw[:, age_col] = extras["age"][0][m], extras["age"][1][start]
                    parts_t[0], parts_w[0] = Xt, Xw
                    continue
                elif n == "interaction":
                    ls, ds = col["last_score"], col["days_since_last"]
                    et = (X_all[m][:, ls] * X_all[m][:, ds])[:, None]
                    ew = (windows_data[start][0][:, ls] * windows_data[start][0][:, ds])[:, None]
                else:
                    et, ew = extras[n][0][m], extras[n][1][start]
                parts_t.append(et)
                parts_w.append(ew)
            return np.hstack(parts_t), np.hstack(parts_w)

        return build

    def shipped_lr(Xt, Wt, yt, Xw, Ww, c: float = 0.1) -> np.ndarray:
        sc = StandardScaler().fit(Xt)
        model = lr(c)
        model.fit(sparse.hstack([sc.transform(Xt), sparse.csr_matrix(Wt)]).tocsr(), yt)
        return model.predict_proba(
            sparse.hstack([sc.transform(Xw), sparse.csr_matrix(Ww)]).tocsr()
        )[:, 1]

    def hgb(Xt, Wt, yt, Xw, Ww) -> np.ndarray:
        model = HistGradientBoostingClassifier(
            max_iter=150,
            learning_rate=0.05,
            max_leaf_nodes=8,
            min_samples_leaf=80,
            l2_regularization=1.0,
            random_state=0,
        )
        model.fit(np.hstack([Xt, Wt]), yt)
        return model.predict_proba(np.hstack([Xw, Ww]))[:, 1]

    def rf(Xt, Wt, yt, Xw, Ww) -> np.ndarray:
        model = RandomForestClassifier(
            n_estimators=200, min_samples_leaf=30, max_features="sqrt", random_state=0, n_jobs=1
        )
        model.fit(np.hstack([Xt, Wt]), yt)
        return model.predict_proba(np.hstack([Xw, Ww]))[:, 1]

    def rank_mean(*fns):
        def f(Xt, Wt, yt, Xw, Ww) -> np.ndarray:
            return np.mean([rankdata(fn(Xt, Wt, yt, Xw, Ww)) for fn in fns], axis=0)

        return f

    def poly_lr(Xt, Wt, yt, Xw, Ww) -> np.ndarray:
        from sklearn.preprocessing import PolynomialFeatures

        keep = Xt.std(axis=0) > 0
        pf = PolynomialFeatures(2, interaction_only=True, include_bias=False)
        sc = StandardScaler().fit(Xt[:, keep])
        pt = pf.fit_transform(sc.transform(Xt[:, keep]))
        pw = pf.transform(sc.transform(Xw[:, keep]))
        return shipped_lr(pt, Wt, yt, pw, Ww, c=0.01)

    new_variants = [
        ("shipped: facility-type name words, C = 0.1", with_extra(), shipped_lr),
        ("+ same phone: siblings' bad rate, score, counts", with_extra("phone"), shipped_lr),
        ("+ same normalised name: siblings' bad rate, score", with_extra("name"), shipped_lr),
        ("+ same operator (phone ∪ name)", with_extra("operator"), shipped_lr),
        ("+ same premises (address)", with_extra("premises"), shipped_lr),
        ("+ operator and age", with_extra("operator", "age"), shipped_lr),
        ("+ operator and premises", with_extra("operator", "premises"), shipped_lr),
        ("+ age estimated from the id sequence", with_extra("age"), shipped_lr),
        ("+ neighbours within 200 m", with_extra("near200"), shipped_lr),
        ("+ 10 nearest neighbours", with_extra("near10"), shipped_lr),
        ("+ last inspection's violation types, learned weights", with_extra("types"), shipped_lr),
        ("+ last score × days since last", with_extra("interaction"), shipped_lr),
        ("LR with all pairwise interactions, C = 0.01", with_extra(), poly_lr),
        (
            "+ all of the above (operator, premises, age, 200 m, types, interaction)",
            with_extra("operator", "premises", "age", "near200", "types", "interaction"),
            shipped_lr,
        ),
        ("rank mean: shipped LR + gradient boosting", with_extra(), rank_mean(shipped_lr, hgb)),
        ("rank mean: shipped LR + random forest", with_extra(), rank_mean(shipped_lr, rf)),
        (
            "rank mean: LR + boosting, all new features",
            with_extra("operator", "premises", "age", "near200", "types", "interaction"),
            rank_mean(shipped_lr, hgb),
        ),
    ]
    if args.only:
        new_variants = new_variants[:1] + [
            v for v in new_variants[1:] if any(o in v[0] for o in args.only)
        ]

    def run_new(build, predict, year: int) -> dict:
        got, base = [], []
        for start, _end in windows(year):
            _X, W, _wn, bkeys, visits = windows_data[start]
            m = (d_all < start) & (d_all >= start - SPAN)
            Xt, Xw = build(start, m)
            p = predict(Xt, W_all[m], y_all[m], Xw, W)
            order = sorted(range(len(visits)), key=lambda k: -p[k])
            got.append(R.days_earlier(visits, order))
            base.append(R.days_earlier(visits, R.order_by(bkeys)))
        return {"e": np.concatenate(got), "b": np.concatenate(base)}

    for year, title in ((2016, "validation (2016)"), (2017, "report (2017)")):
        if year not in years:
            continue
        print(f"\n### h-rank3's variants, SF {title}, score ≤ 85, six 2-month windows pooled")
        print(
            "| variant | mean days earlier | median | found later | vs baseline | p (vs baseline) "
            "| vs shipped (p) |"
        )
        print("|---|---|---|---|---|---|---|")
        ref_new = None
        for label, build, predict in new_variants:
            t2 = time.perf_counter()
            r = run_new(build, predict, year)
            if ref_new is None:
                ref_new = r["e"]
                print(line(label, r, None), flush=True)
            else:
                print(line(label, r, ref_new), flush=True)
            print(f"  ({label}: {time.perf_counter() - t2:.0f} s)", file=sys.stderr)
    print(f"\n({time.perf_counter() - t0:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()

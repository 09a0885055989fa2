"""The learnt order: scikit-learn's L2-regularised logistic regression (the method of the City of
Chicago's food-inspection model) on the district's own inspection history.

scikit-learn is imported inside ``fit`` only: nothing the URL conf imports may pull it in at
start-up (tests/web/test_startup_imports.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from .features import FEATURE_NAMES, feature_names, snapshot, vector
from .history import OperatorHistory

#: Inverse regularisation strength (scikit-learn's ``C``); small = strong shrinkage. The SF
#: replay moved by less than 0.1 day between C = 0.01, 0.1 and 1 (docs/inspection-order.md).
C = 0.1


@dataclass(frozen=True)
class TrainingSet:
    """Feature rows and outcomes (True: the inspection found a problem) of past inspections."""

    X: np.ndarray
    y: np.ndarray

    @property
    def size(self) -> int:
        return len(self.y)

    @property
    def bad(self) -> int:
        return int(self.y.sum())


def training_set(
    histories: Iterable[OperatorHistory],
    *,
    since: date,
    before: date,
    outcome: frozenset[str] | None = None,
) -> TrainingSet:
    """Every full-checklist inspection done in ``[since, before)`` as one example: its features
    as of its own date (what was known before it) and whether it found a problem (``bad``, or
    its result in ``outcome`` when given). Inspections not scored (未评定) are left out: their
    outcome is unknown."""
    rows: list[list[float]] = []
    ys: list[bool] = []
    for h in histories:
        for i in h.inspections:
            if not (since <= i.on < before) or not i.full_checklist or i.result == "not_scored":
                continue
            rows.append(vector(snapshot(h, as_of=i.on)))
            ys.append(i.bad if outcome is None else i.result in outcome)
    X = np.asarray(rows, dtype=float).reshape(len(rows), len(feature_names()))
    return TrainingSet(X=X, y=np.asarray(ys, dtype=bool))


@dataclass(frozen=True)
class RiskModel:
    """A fitted model: the scikit-learn pipeline and what explaining a rank needs."""

    pipeline: Any
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    trained_on: int
    trained_bad: int

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        """P(problem found) for each row of ``X``."""
        if len(X) == 0:
            return np.zeros(0)
        return np.asarray(self.pipeline.predict_proba(X)[:, 1], dtype=float)

    def contributions(self, x: Sequence[float]) -> np.ndarray:
        """Each feature's push on the log-odds against an average operator of the training
        history: coef × standardised value. Positive = raises the risk."""
        z = (np.asarray(x, dtype=float) - self.mean) / self.scale
        return np.asarray(self.coef * z, dtype=float)


def fit(data: TrainingSet, *, c: float = C) -> RiskModel:
    """Fit the L2 logistic regression, ``FEATURE_NAMES`` standardised and the name words (0/1)
    as they are (standardising a rare word would blow it up and weaken its shrinkage);
    ``ValueError`` when ``data`` has one class."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if data.bad in (0, data.size):
        raise ValueError("training history has only one outcome; nothing to learn")
    n = len(FEATURE_NAMES)
    scale = ColumnTransformer(
        [("scaled", StandardScaler(), list(range(n)))], remainder="passthrough"
    )
    pipeline = make_pipeline(scale, LogisticRegression(C=c, max_iter=2000))
    pipeline.fit(data.X, data.y)
    scaler, logit = pipeline[0].named_transformers_["scaled"], pipeline[-1]
    words = data.X.shape[1] - n
    return RiskModel(
        pipeline=pipeline,
        mean=np.concatenate([np.asarray(scaler.mean_, dtype=float), np.zeros(words)]),
        scale=np.concatenate([np.asarray(scaler.scale_, dtype=float), np.ones(words)]),
        coef=np.asarray(logit.coef_[0], dtype=float),
        trained_on=data.size,
        trained_bad=data.bad,
    )

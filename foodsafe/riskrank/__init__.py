"""Risk-ranked inspection order (风险排序): which operators due for inspection to visit first.

Issue 13 §4–§5. ``ranking.rank_operators`` orders operators by the chance that an inspection
finds a serious problem, learnt from the district's own inspection history before the ranked
date (scikit-learn's regularised logistic regression), with each rank's top reasons in words; it
falls back to risk grade and time since the last inspection where the history is too thin.
``replay`` holds the arithmetic of the replay benchmark (``benchmarks/inspection_order.py``).
"""


def rank_operators(**kwargs):  # type: ignore[no-untyped-def]
    """``ranking.rank_operators``, importable from the package without loading the app's
    models (or numpy) when the package is imported: the inspection plan calls it by name."""
    from .ranking import rank_operators as rank

    return rank(**kwargs)

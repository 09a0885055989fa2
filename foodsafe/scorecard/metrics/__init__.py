"""Metric definitions, one module per ledger family; importing this package registers them."""

from . import (  # noqa: F401
    complaints,
    credit,
    enforcement,
    grain,
    inspections,
    riskgrades,
    sampling,
    schools,
    selfinspections,
    surveys,
    workforce,
)

"""Metric definitions, one module per ledger family; importing this package registers them."""

from . import (  # noqa: F401
    complaints,
    credit,
    emergency,
    enforcement,
    grain,
    inspections,
    operators,
    riskgrades,
    sampling,
    schools,
    selfinspections,
    surveillance,
    surveys,
    workforce,
)

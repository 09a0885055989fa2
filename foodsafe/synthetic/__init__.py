"""Synthetic jurisdictions (合成辖区): deterministic, realistic ledgers for any population.

``foodsafe generate --population N --seed S`` builds one (see ``services``); the ratios it
follows, with their sources, are in ``ratios``. Parquet export and a DuckDB backend for the
scorecard engine are in ``parquet``.
"""

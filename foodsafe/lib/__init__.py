"""Helpers with no domain, below every app (DESIGN.md "Layers"): masking of personal data,
text-only spreadsheet cells, downloads with Chinese file names, sizes. Nothing here imports
an app of foodsafe."""

"""Helpers with no domain, below every app (working days, masking, downloads, …)."""

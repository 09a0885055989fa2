"""The example district (和平区, 2021): made-up ledger files for demos and tests; the files are
written by :func:`foodsafe.example.generate.generate_example_district` (see that module)."""

"""Risk grading (风险分级动态管理): grading spec, checklists, grades A–D and the year-end
adjustment (食品生产经营风险分级管理办法（试行）, 2016; 监督检查管理办法, 2021). A workflow app:
it reads the ledgers (registry, inspections, sampling, enforcement) and writes the confirmed
grades into the registry's grade ledger, which the scorecard reads."""

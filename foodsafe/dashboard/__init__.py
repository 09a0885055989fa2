"""The programme dashboard (数据看板): charts of the scorecard, drawn by ECharts from JSON."""

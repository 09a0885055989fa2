"""The programme's key tasks at work (重点任务): the office's task board, an item's page and a
member unit's open work. It reads the programme, evidence and rectification, so it sits above
the workflow apps (DESIGN.md "Layers")."""

"""Fact sheets: what a unit did in a period, the only source of figures a draft may state (core layer).

- ``model.py``: the ``FactSheet`` model, its validation (``FactSheetError`` naming each field in Chinese) and
  ``load_fact_sheet`` / ``parse_fact_sheet``;
- ``files.py``: fact sheets in and out of files (YAML, JSON, Excel within row/column/sheet limits) and the Excel
  template; ``bounded.py``: YAML and JSON parsed within depth, alias and size limits (no "billion laughs");
- ``next_year.py``: 「用作下一年度」, the next period's sheet to be filled in;
- ``diff.py``: which facts changed between two versions of a sheet (for the audit log).
"""

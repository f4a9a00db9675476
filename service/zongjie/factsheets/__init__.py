"""Fact sheets: what a unit did in a period, the only source of figures a draft may state (core layer).

- ``model.py``: the ``FactSheet`` model, its validation (``FactSheetError`` naming each field in Chinese) and
  ``load_fact_sheet`` / ``parse_fact_sheet``;
- ``files.py``: fact sheets in and out of files (YAML, JSON, Excel) and the Excel template;
- ``diff.py``: which facts changed between two versions of a sheet (for the audit log).
"""

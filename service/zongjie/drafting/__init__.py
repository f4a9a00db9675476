"""Drafting: the layer above the stages (beside ``jobs``) that makes and changes drafts.

- ``pipeline.py``: ``run_draft`` — facts → plan → exemplars → sections (checked, repaired) → assembled draft;
- ``editing.py``: editors' changes to a stored draft (edit a part, regenerate a section, restore), each a new draft;
- ``revisions.py``: a stored draft version seen against its fact sheet as it is now (stale checks recomputed);
- ``diffs.py``: differences between two versions of a draft, down to the characters changed in a paragraph;
- ``keeprate.py``: what the editors kept of the first version in the approved one (stored at approval);
  ``keep_summary.py``: those keep rates summed up by part, drafting method, prompt version, over time;
- ``approved_base.py``: the approved text into the knowledge base as the unit's summary for the period;
- ``eval_export.py``: approved drafts as anonymised evaluation cases (``zongjie export-eval-cases``).
"""

"""Turning messy past summaries into clean documents and section trees.

reading.py  — bytes on disk → text (txt/md with encoding detection, docx, pdf)
cleaning.py — text → clean lines (boilerplate, glued page numbers, broken lines, stray spaces)
splitting.py — clean lines → one or more documents (篇1/篇2, 扩展阅读, repeated titles)
sections.py — document → section tree along the 一、/（一）/1./（1） heading ladder
metadata.py — document → unit, unit type, period, year (sidecar YAML overrides)
parsing.py — one file's text → documents with ids and metadata → section chunks (what ingestion indexes)
"""

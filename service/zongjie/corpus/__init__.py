"""Turning messy past summaries into clean documents and section trees.

reading.py  — bytes on disk → text (txt/md with encoding detection, docx, pdf)
cleaning.py — text → clean lines (furniture, glued page numbers, broken lines, stray spaces) + what was dropped
furniture.py — web furniture as spans inside a line, each with its class (RULES)
splitting.py — clean lines → one or more pieces (篇1/篇2, 扩展阅读, repeated titles)
choice.py — which pieces are summaries (not a header, notice or table of contents) and which one is the default
contents.py — a table of contents in front of a summary, taken out
sections.py — document → section tree along the 一、/（一）/1./（1） heading ladder
metadata.py — document → unit, unit type, period, year (sidecar YAML overrides)
parsing.py — one file's text → ParsedFile (documents with ids and metadata, dropped spans, kept share) → chunks
source_map.py, placing.py — cleaned text placed back in the text as read (document, heading and body offsets)
"""

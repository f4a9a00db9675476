"""Retrieval filters as numpy masks: each section's unit type, period, role and unit name as integer codes.

Contract of ``FilterCodes``: rows are appended (``append``) or overwritten (``set``) with a chunk's metadata, or
cleared (``clear``: the row matches nothing); ``take(rows)`` keeps those rows (compaction); ``mask(n, where,
exclude_unit)`` is a boolean array over the first ``n`` rows that is True where every ``where`` field (unit_type,
period, role) equals the row's value and the row's unit name, when it has one, is not ``exclude_unit`` — what
``stages.retrieve`` asks of a hit — computed without a Python loop over rows, so both indexes filter before they
rank. A value never seen matches no row.
"""

from __future__ import annotations

from array import array

import numpy as np

from ..corpus.document import Chunk

FIELDS = ("unit_type", "period", "role", "unit_name")
_NONE = -1  # a cleared row: matches no filter value
_BLANK = 0  # the code of "" (every field's vocabulary starts with it)


class FilterCodes:
    def __init__(self) -> None:
        self._vocab: dict[str, dict[str, int]] = {f: {"": _BLANK} for f in FIELDS}
        self._cols: dict[str, array] = {f: array("i") for f in FIELDS}

    def __len__(self) -> int:
        return len(self._cols["role"])

    def _code(self, field: str, value: str) -> int:
        vocab = self._vocab[field]
        code = vocab.get(value)
        if code is None:
            code = vocab[value] = len(vocab)
        return code

    def append(self, chunk: Chunk | None) -> None:
        for f in FIELDS:
            self._cols[f].append(self._code(f, getattr(chunk, f) or "") if chunk is not None else _NONE)

    def set(self, row: int, chunk: Chunk | None) -> None:
        for f in FIELDS:
            self._cols[f][row] = self._code(f, getattr(chunk, f) or "") if chunk is not None else _NONE

    def clear(self, row: int) -> None:
        self.set(row, None)

    def column(self, field: str, n: int) -> np.ndarray:
        return np.frombuffer(self._cols[field], dtype=np.int32, count=n)

    def mask(self, n: int, where: dict[str, str] | None = None, exclude_unit: str | None = None) -> np.ndarray:
        out = self.column("role", n) != _NONE
        for f, value in (where or {}).items():
            code = self._vocab[f].get(value)
            if code is None:
                return np.zeros(n, dtype=bool)
            out &= self.column(f, n) == code
        if exclude_unit:
            code = self._vocab["unit_name"].get(exclude_unit)
            if code is not None and code != _BLANK:
                out &= self.column("unit_name", n) != code
        return out

    def take(self, rows: list[int]) -> FilterCodes:
        """The codes of ``rows``, in that order (same vocabularies)."""
        out = FilterCodes()
        out._vocab = self._vocab
        for f in FIELDS:
            col = self._cols[f]
            out._cols[f] = array("i", (col[r] for r in rows))
        return out

    @classmethod
    def of(cls, chunks: list[Chunk | None]) -> FilterCodes:
        codes = cls()
        for c in chunks:
            codes.append(c)
        return codes

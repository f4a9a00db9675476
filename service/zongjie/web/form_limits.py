"""The limits of the fact-sheet form's fields, read from the fact-sheet model (one source: the model enforces
them, the form states them next to each field and gives each input its ``maxlength``)."""

from __future__ import annotations

from functools import cache

from annotated_types import MaxLen
from pydantic import BaseModel

from ..factsheets.model import (
    MAX_ITEMS,
    THEME_CHARS,
    Activity,
    FactSheet,
    Honour,
    Item,
    Metric,
    Note,
    SectionWork,
    Signature,
    Unit,
)

# form input name → (model, field)
FORM_FIELDS: dict[str, tuple[type[BaseModel], str]] = {
    "unit_name": (Unit, "name"),
    "unit_superior": (Unit, "superior"),
    "leadership": (FactSheet, "leadership"),
    "sig_unit": (Signature, "unit"),
    "m_label": (Metric, "label"),
    "m_unit": (Metric, "unit"),
    "m_section": (Metric, "section"),
    "s_title": (SectionWork, "title"),
    "w_text": (Note, "text"),
    "a_title": (Activity, "title"),
    "a_participants": (Activity, "participants"),
    "a_section": (Activity, "section"),
    "a_description": (Activity, "description"),
    "o_label": (Metric, "label"),
    "o_unit": (Metric, "unit"),
    "h_title": (Honour, "title"),
    "h_awarded_by": (Honour, "awarded_by"),
    "p_text": (Item, "text"),
    "n_text": (Item, "text"),
    "y_section": (SectionWork, "title"),  # 去年的打算 done: the section it is written into
}


@cache
def form_limits() -> dict[str, int]:
    """Form input name → the most characters the model accepts (fields without a limit are left out)."""
    out = {}
    for name, (model, field) in FORM_FIELDS.items():
        for m in model.model_fields[field].metadata:
            if isinstance(m, MaxLen):
                out[name] = m.max_length
    return out | {"themes": THEME_CHARS, "themes_count": MAX_ITEMS["themes"]}  # each theme; how many


def form_limit(name: str) -> int | None:
    return form_limits().get(name)

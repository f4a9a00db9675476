"""An exported draft read back as the text the app checked: what ``zongjie check`` and an edit read from a file or
a paste, so that a draft checks the same wherever it is.

Contract: ``checkable_text(text)`` takes the text of an exported Markdown draft (``stages.export.to_markdown``), or
text pasted from one, and returns it without what the export added: the 「【待核实：…】」 mark after each open
finding (its message quotes the expected figure, which is no figure of the draft), the 「> 本稿还有 N 处待核实…」
note under the title, and the Markdown escapes (``\\*``, ``&lt;``…). Headings keep their ``#`` marks: the checker
reads them as parts (``checker.parts``). The app's own 「【待核实】」 marker (no message) is kept, as the draft holds
it. Text that is no export passes through unchanged but for those three things. Pure function.
"""

from __future__ import annotations

import re

_MARK = re.compile(r"【待核实：[^】\n]*】")
_NOTE = re.compile(r"^> 本稿还有 \d+ 处待核实[^\n]*\n?", re.MULTILINE)
_ESCAPED = re.compile(r"\\([\\`*_\[\]{}|~#>+=.)-])")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def checkable_text(text: str) -> str:
    """``text`` without the export's marks, note and escapes (see the module docstring)."""
    text = _NOTE.sub("", _MARK.sub("", text.replace("\r\n", "\n")))
    text = _ESCAPED.sub(r"\1", text)
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text

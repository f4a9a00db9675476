"""Roll-up: a federation's fact sheet summed from its units' sheets, every total traceable to its parts.

- ``indicators``: the indicator list (统计指标) a federation publishes for a period; units' sheets start from it.
- ``tree``: the unit tree as the roll-up needs it (who is below whom, direct or all levels).
- ``matching``: which metrics of different units are the same (indicator key, normalised label + compatible unit)
  and near-matches to confirm.
- ``engine``: ``roll_up()`` — exact decimal sums, approximate parts, rates recomputed, included/missing/conflicts.
- ``verify``: totals that differ from their parts (合计不符) and parts changed since the roll-up.
"""

from .engine import RollUp, Submission, roll_up
from .indicators import Indicator, IndicatorList, load_indicator_list
from .tree import UnitTree
from .verify import stale_parts, total_mismatches

__all__ = [
    "Indicator",
    "IndicatorList",
    "RollUp",
    "Submission",
    "UnitTree",
    "load_indicator_list",
    "roll_up",
    "stale_parts",
    "total_mismatches",
]

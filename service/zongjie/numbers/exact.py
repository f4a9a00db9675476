"""A fact's number held exactly, from the form or file it was typed in to storage, the draft and the export.

``Exact`` keeps the number as a ``Decimal`` (``.exact``): that is what is stored (a JSON integer of any size, or a
decimal with at most ``MAX_DIGITS`` significant digits, so a JSON number reads back as the same decimal), shown
(``str``, ``format_value``) and written into drafts — 99999999999999999999999 stays those 23 digits. It is also a
``float``, so the checker and the writers compare and compute with it as before (a comparison needs no more than
a float's precision; the digits written come from ``.exact``).

``ExactValue`` is the pydantic type of a fact's value, 上年同期 and 目标: it accepts numbers and numeric strings,
refuses a non-integer with more significant digits than a float holds, serialises to a JSON number (integers
exactly, however long) and declares ``{"type": "number"}`` in JSON Schema / OpenAPI.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

MAX_DIGITS = 15  # significant digits of a non-integer value: what a float holds and gives back unchanged


class Exact(float):
    """A float that remembers the exact decimal it was made from (``.exact``); see the module docstring."""

    exact: Decimal

    def __new__(cls, value: Any) -> Exact:
        d = to_decimal(value)
        obj = super().__new__(cls, d)
        obj.exact = d
        return obj

    def __str__(self) -> str:
        return plain(self.exact)

    def __repr__(self) -> str:
        return f"Exact('{plain(self.exact)}')"

    def __format__(self, spec: str) -> str:
        return plain(self.exact) if spec in ("", "g") else super().__format__(spec)

    def __reduce__(self) -> tuple[type[Exact], tuple[str]]:
        return (Exact, (str(self.exact),))

    def __deepcopy__(self, memo: object) -> Exact:
        return self

    def __copy__(self) -> Exact:
        return self

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _validate, serialization=core_schema.plain_serializer_function_ser_schema(_serialize, when_used="json")
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"type": "number"}


def to_decimal(value: Any) -> Decimal:
    """``value`` (int, float, Decimal, Exact or numeric text) as a Decimal; a float by its shortest repr (7.2, not
    7.2000000000000002)."""
    if isinstance(value, Exact):
        return value.exact
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        d = Decimal(value) if isinstance(value, int | Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not d.is_finite():
        raise ValueError("not a finite number")
    return d


def plain(d: Decimal) -> str:
    """A decimal written out in full, without exponent or trailing zeros: 1E+2 → 100, 7.20 → 7.2."""
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _validate(value: Any) -> Exact:
    if isinstance(value, Exact):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise PydanticCustomError("float_type", "Input should be a valid number")
    try:
        d = to_decimal(value)
    except ValueError:
        raise PydanticCustomError("float_parsing", "Input should be a valid number") from None
    if d != d.to_integral_value() and len(d.normalize().as_tuple().digits) > MAX_DIGITS:
        raise PydanticCustomError("too_many_digits", "小数最多 {max_digits} 位有效数字", {"max_digits": MAX_DIGITS})
    return Exact(d)


def _serialize(value: Any) -> int | float:
    """A JSON number that reads back as the same decimal: integers exactly, however long."""
    d = to_decimal(value)
    return int(d) if d == d.to_integral_value() else float(d)

"""Building frozen dataclasses from the API's JSON: known fields typed, unknown ones kept in ``raw``."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, Callable, ClassVar, Dict, Mapping, Optional, Type, TypeVar

M = TypeVar("M", bound="Model")


def parse_time(value: Any) -> Optional[datetime]:
    """An ISO 8601 UTC string as an aware datetime (``Z`` is read by Python 3.9 too)."""
    if not isinstance(value, str):
        return None
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


class Model:
    """Mixin for the resource dataclasses. Fields named ``*_at`` become datetimes; ``_convert`` maps others."""

    _convert: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}

    @classmethod
    def from_dict(cls: Type[M], data: Mapping[str, Any]) -> M:
        values: Dict[str, Any] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name == "raw":
                continue
            if f.name not in data and f.default is not dataclasses.MISSING:
                continue
            value = data.get(f.name)
            convert = cls._convert.get(f.name)
            if convert is not None and value is not None:
                value = convert(value)
            elif f.name.endswith("_at"):
                value = parse_time(value)
            values[f.name] = value
        # A newer server's extra fields stay reachable without a new SDK.
        return cls(**values, raw=dict(data))  # type: ignore[call-arg]


def model_of(cls: Type[M]) -> Callable[[Any], M]:
    return cls.from_dict


def tuple_of(convert: Callable[[Any], Any] = lambda v: v) -> Callable[[Any], tuple]:  # type: ignore[type-arg]
    return lambda values: tuple(convert(v) for v in values)

"""The summary report of a migration (GET /v1/migrations/{id}/report), as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, Optional, Tuple

from ._model import Model, model_of, tuple_of


def _raw() -> Any:
    return field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class ReportTotals(Model):
    """Every item recorded and the sum of the sizes known, and the count per status."""

    files: int
    bytes: int
    copied: int
    skipped: int
    failed: int
    deleted: int
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class StatusCount(Model):
    """Items of one status (copied, skipped, failed, deleted) and their bytes."""

    status: str
    count: int
    bytes: int
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class ReasonCount(Model):
    """Failed or skipped items grouped by reason (paths, names, times, ids and numbers replaced by
    placeholders such as ``<path>``); ``example`` is one reason of the group as recorded."""

    status: str
    reason: Optional[str]
    count: int
    bytes: int
    example: Optional[str]
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class ReportFailure(Model):
    """One of the largest failed items."""

    path: str
    destination_path: Optional[str]
    size: Optional[int]
    reason: Optional[str]
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class MigrationReport(Model):
    """Totals, ``by_status`` (all four statuses in a fixed order, zeros included), ``by_reason`` (most
    frequent first, at most 100 groups) and ``largest_failures`` (up to 20, largest first)."""

    migration_id: str
    status: str
    started_at: Optional[datetime]
    finished_at: Optional[datetime]
    totals: ReportTotals
    by_status: Tuple[StatusCount, ...]
    by_reason: Tuple[ReasonCount, ...]
    largest_failures: Tuple[ReportFailure, ...]
    raw: Dict[str, Any] = _raw()
    _convert = {
        "totals": model_of(ReportTotals),
        "by_status": tuple_of(model_of(StatusCount)),
        "by_reason": tuple_of(model_of(ReasonCount)),
        "largest_failures": tuple_of(model_of(ReportFailure)),
    }

    def count(self, status: str) -> int:
        """Items with this outcome (copied, skipped, failed, deleted); 0 for a status not listed."""
        return next((s.count for s in self.by_status if s.status == status), 0)

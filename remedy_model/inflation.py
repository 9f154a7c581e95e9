"""Sums between years with the ONS CPI annual index (D7BT, 2015=100).

"Today's money" means the latest year the index covers. A year after the series ends (a case
decided this year) is taken at the latest index, a year before it starts at the earliest, and a
case with no year is taken as today's money; :meth:`CpiIndex.assumption` says which applied.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from remedy_model.errors import DataError


@dataclass(frozen=True)
class CpiIndex:
    """An annual price index by calendar year.

    Examples
    --------
    >>> cpi = CpiIndex({2015: 100.0, 2025: 138.4})
    >>> round(cpi.to_today(1000, 2015), 2)
    1384.0
    >>> round(cpi.convert(1384, 2025, 2015), 2)
    1000.0
    """

    index: dict[int, float]

    def __post_init__(self) -> None:
        if not self.index:
            raise DataError("CPI table is empty")

    @classmethod
    def from_csv(cls, path: Path | str) -> CpiIndex:
        """Read a two-column CSV (year, index); errors name the file and line."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DataError(f"{path}: cannot read CPI table ({exc.strerror or exc})") from None
        index: dict[int, float] = {}
        rows = csv.reader(text.splitlines())
        header = next(rows, None)
        if not header or len(header) < 2:
            raise DataError(f"{path}: CPI table has no header row (expected year,index)")
        for line_no, row in enumerate(rows, start=2):
            if not row or not "".join(row).strip():
                continue
            try:
                year, value = int(row[0]), float(row[1])
            except (ValueError, IndexError):
                raise DataError(f"{path}:{line_no}: CPI row is not 'year,index': {row}") from None
            if value <= 0:
                raise DataError(f"{path}:{line_no}: CPI index must be positive, got {value}")
            index[year] = value
        if not index:
            raise DataError(f"{path}: CPI table has no rows")
        return cls(index)

    @property
    def first_year(self) -> int:
        return min(self.index)

    @property
    def latest_year(self) -> int:
        """The year whose prices count as today's money."""
        return max(self.index)

    def value(self, year: int | None) -> float:
        """The index for ``year``, clamped to the series; ``None`` means the latest year."""
        if year is None:
            return self.index[self.latest_year]
        year = min(max(int(year), self.first_year), self.latest_year)
        if year in self.index:
            return self.index[year]
        known = sorted(self.index)
        return float(np.interp(year, known, [self.index[y] for y in known]))

    def convert(self, amount: float, from_year: int | None, to_year: int | None) -> float:
        """Express ``amount`` in ``from_year`` prices as ``to_year`` prices."""
        return float(amount) * self.value(to_year) / self.value(from_year)

    def to_today(self, amount: float, year: int | None) -> float:
        """Express ``amount`` of ``year`` in the latest year's prices."""
        return self.convert(amount, year, None)

    def from_today(self, amount: float, year: int | None) -> float:
        """Express a sum in today's money in ``year`` prices."""
        return self.convert(amount, None, year)

    def factors_to_today(self, years: np.ndarray | list) -> np.ndarray:
        """Vectorised multipliers to today's money for an array of years (NaN = no year)."""
        latest = self.index[self.latest_year]
        return np.array(
            [latest / self.value(None if _missing(y) else int(y)) for y in years], dtype=float
        )

    def assumption(self, year: int | None) -> str | None:
        """One sentence on what was assumed for ``year``, or ``None`` if the index covers it."""
        if year is None:
            return f"no year: sums taken as {self.latest_year} money"
        if year > self.latest_year:
            return f"{year} is after the CPI series ends: {self.latest_year} index used"
        if year < self.first_year:
            return f"{year} is before the CPI series starts: {self.first_year} index used"
        return None


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))

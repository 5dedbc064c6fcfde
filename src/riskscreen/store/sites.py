"""Site identity: which stored site a report is about.

Two reports are about the same site when they share a grid and a normalised address
(``东村3号``, ``东村 3号`` and ``东村三号`` all become ``东村3号``), or when their lat/lon
lie within ``site_radius_m`` of each other.

The lat/lon lookup uses a grid of square buckets ``CELL_M`` (50 m) wide, in rows of
latitude whose columns are scaled by the row's cosine: any point within the radius of a
query lies in the query's bucket or one of the rings of buckets around it (three rows of
five buckets at the default 50 m radius), so a lookup reads a fixed number of buckets
whatever the number of stored sites (an index lookup each). The bucket width does not
follow the merging radius: each site is stored with its bucket, so a store written with
one radius must be searchable with another. A fixed-size grid is used rather than a
hexagonal index such as H3 because a grid needs no compiled dependency.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from .lengths import fit

__all__ = [
    "CELL_M",
    "GeoGrid",
    "SiteRef",
    "address_key",
    "chinese_numerals_to_digits",
    "distance_m",
    "normalise_address",
]

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180
#: The width of the store's spatial buckets in metres, whatever the merging radius.
CELL_M = 50.0
# Columns are a thousandth narrower than rows: the width stores have always been written
# with, kept so that the buckets stored with their sites stay where they are.
_COLUMN_M = CELL_M * 0.999
# Beyond this latitude the rows' columns shrink toward nothing; no site is that far north.
_MAX_LATITUDE = 89.0

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万]+")
# separators people type between parts of an address; none of them tells sites apart
_SEPARATORS = re.compile(r"[\s\-_—–·•.,，、。:：;；()（）\[\]【】\"'“”‘’/\\]+")


def _section(text: str) -> int | None:
    """The value of numerals below ten thousand (``三百零五``), or None if not a number."""
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _numeral(text: str) -> str:
    """Arabic digits for a run of Chinese numerals: ``三`` → 3, ``十二`` → 12, ``一〇五`` → 105."""
    if all(c in _DIGITS for c in text) and len(text) > 1:
        return "".join(str(_DIGITS[c]) for c in text)  # read digit by digit, like a house number
    high, _, low = text.partition("万")
    if "万" in text:
        upper = _section(high) if high else 1
        lower = _section(low) if low else 0
        if upper is None or lower is None:
            return text
        return str(upper * 10_000 + lower)
    value = _section(text)
    return text if value is None else str(value)


def chinese_numerals_to_digits(text: str) -> str:
    """Every run of Chinese numerals in ``text`` written in Arabic digits."""
    return _NUMERAL_RUN.sub(lambda m: _numeral(m.group()), text)


def normalise_address(address: str) -> str:
    """An address reduced to what tells sites apart.

    Full-width characters become half-width (NFKC), letters lower case, separators and
    spaces go, Chinese numerals become digits and ``#`` reads as ``号``.
    """
    text = unicodedata.normalize("NFKC", address).lower()
    text = _SEPARATORS.sub("", text).replace("#", "号")
    return chinese_numerals_to_digits(text)


def address_key(grid_id: str | None, village: str | None, address: str | None) -> str | None:
    """The site key of a grid and an address (the village when there is no grid).

    ``None`` without an address: a grid or a village alone covers many sites.
    """
    if not address or not (normalised := normalise_address(address)):
        return None
    if grid_id and grid_id.strip():
        scope = "g:" + normalise_address(grid_id)
    elif village and village.strip():
        scope = "v:" + normalise_address(village)
    else:
        scope = ""
    # the length of site_keys.key and sites.label; a longer address keeps a hash of the whole
    return fit(f"{scope}|{normalised}", 400)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class GeoGrid:
    """Buckets ``CELL_M`` wide; a point's neighbours within ``radius_m`` are in its neighbourhood."""

    radius_m: float

    @staticmethod
    def _row(lat: float) -> int:
        return math.floor(lat * METRES_PER_DEGREE / CELL_M)

    @staticmethod
    def _column(row: int, lon: float) -> int:
        # every point of a row is scaled by the cosine at the row's middle, so columns
        # are about CELL_M wide throughout the row
        middle = (row + 0.5) * CELL_M / METRES_PER_DEGREE
        scale = max(math.cos(math.radians(middle)), 1e-6)
        return math.floor(lon * METRES_PER_DEGREE * scale / _COLUMN_M)

    def cell(self, lat: float, lon: float) -> str:
        """The bucket of a point, as ``row:column`` (the same for every radius)."""
        row = self._row(lat)
        return f"{row}:{self._column(row, lon)}"

    def _rings(self, lat: float) -> tuple[int, int]:
        """How many rows and columns either side of a point's bucket the radius can reach."""
        rows = math.ceil(self.radius_m / CELL_M)
        # a neighbour's column is measured at its own row's cosine, which may lie up to a
        # radius and half a row closer to the pole than the point: widen by that ratio
        reach = math.degrees((self.radius_m + CELL_M) / EARTH_RADIUS_M)
        near = math.cos(math.radians(max(abs(lat) - reach, 0.0)))
        far = math.cos(math.radians(min(abs(lat) + reach, _MAX_LATITUDE)))
        return rows, math.ceil(self.radius_m * near / far / _COLUMN_M)

    def neighbourhood(self, lat: float, lon: float) -> list[str]:
        """The buckets around a point that hold every point within ``radius_m`` of it."""
        row = self._row(lat)
        rows, columns = self._rings(lat)
        cells: list[str] = []
        for r in range(row - rows, row + rows + 1):
            column = self._column(r, lon)
            cells.extend(f"{r}:{c}" for c in range(column - columns, column + columns + 1))
        return cells


@dataclass(frozen=True)
class SiteRef:
    """How a report names its site: an address key, a point, or both."""

    key: str | None
    lat: float | None
    lon: float | None

    @property
    def has_point(self) -> bool:
        """True when the report gives both lat and lon."""
        return self.lat is not None and self.lon is not None

    @property
    def label(self) -> str:
        """The site key shown on a case: the address key, else the point."""
        if self.key is not None:
            return self.key
        if self.lat is not None and self.lon is not None:
            return f"geo:{self.lat:.5f},{self.lon:.5f}"
        return ""

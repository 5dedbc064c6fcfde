"""Legal references and the law catalogue they are checked against.

- :class:`Reference`: one citation, read from ``"地下水管理条例 第三十五条"`` or from a
  mapping ``{law: 地下水管理条例, article: 35}``, with one display form (:attr:`Reference.text`).
- :class:`Catalogue`: the laws, regulations, judicial interpretations and standards the
  shipped packs cite, with their current text, article count and the names they replaced;
  :meth:`Catalogue.check` says what is wrong with a reference.
"""

from __future__ import annotations

from .catalogue import CATALOGUE_FILE, LOCAL_CATALOGUE_NAMES, Catalogue, CitationProblem, read_catalogue
from .models import CatalogueSpec, Edition, LawEntry, StandardEntry, Superseded
from .reference import Reference, reference_text

__all__ = [
    "CATALOGUE_FILE",
    "LOCAL_CATALOGUE_NAMES",
    "Catalogue",
    "CatalogueSpec",
    "CitationProblem",
    "Edition",
    "LawEntry",
    "Reference",
    "StandardEntry",
    "Superseded",
    "read_catalogue",
    "reference_text",
]

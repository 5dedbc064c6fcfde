"""Legal references and the law catalogue they are checked against.

- :class:`Reference`: one citation, read from ``"地下水管理条例 第三十五条"`` or from a
  mapping ``{law: 地下水管理条例, article: 35}``, with one display form (:attr:`Reference.text`).
- :class:`Catalogue`: the laws, regulations, judicial interpretations and standards the
  shipped packs cite, with their current text, article count and the names they replaced;
  :meth:`Catalogue.check` says what is wrong with a reference.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: Where each public name lives: screening reads references (``.reference``) without
#: loading the catalogue and its YAML reader, which only lint and the loader's checks need.
_HOMES = {
    "CATALOGUE_FILE": ".catalogue",
    "LOCAL_CATALOGUE_NAMES": ".catalogue",
    "Catalogue": ".catalogue",
    "CitationProblem": ".catalogue",
    "read_catalogue": ".catalogue",
    "CatalogueSpec": ".models",
    "Edition": ".models",
    "LawEntry": ".models",
    "StandardEntry": ".models",
    "Superseded": ".models",
    "Reference": ".reference",
    "reference_text": ".reference",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home, __name__), name)

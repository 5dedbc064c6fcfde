"""riskscreen-construction: screen rural housing construction (房屋建设) reports.

A riskscreen plugin registered under the entry-point name ``construction``. It declares the
``construction`` category's attributes, computes ``derived.construction_*`` fields (power-line
corridor, farmland in 亩, the provincial homestead area cap), ships the ``construction`` rule
pack and runs two Python checks: the provincial homestead area cap (CONS-101) and repeat
offences from the site's history (CONS-102).
"""

__version__ = "1.0.0"

__all__ = ["__version__"]

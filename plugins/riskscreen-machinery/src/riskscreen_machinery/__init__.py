"""riskscreen-machinery: the heavy-machinery campaign (机械施工专项整治) as a riskscreen plugin.

It registers the ``machinery`` category's attributes, ``derived.machinery_*`` fields
(night work, the noise limit in force, power-line clearance and protection zone, pit
depth thresholds, the gas protection range), two table functions for rules, the
``machinery`` rule pack (MACH-001 … MACH-010) and two Python checks (MACH-PY-001 clearance
table, MACH-PY-002 repeat night work). It uses only riskscreen's public API.
"""

__version__ = "1.0.0"

__all__ = ["__version__"]

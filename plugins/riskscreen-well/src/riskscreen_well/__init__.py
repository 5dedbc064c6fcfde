"""riskscreen-well: the well-drilling campaign (打井专项整治) as a riskscreen plugin.

It registers the ``well_drilling`` attributes (:class:`~riskscreen_well.models.WellAttrs`),
the ``derived.well_*`` fields, two rule functions, the ``well`` rule pack and two Python
checks (the household withdrawal quota and repeat offences). Local thresholds live in
:class:`~riskscreen_well.config.WellConfig`, set through ``Settings.plugins["well"]``.
"""

__version__ = "1.0.0"

__all__ = ["__version__"]

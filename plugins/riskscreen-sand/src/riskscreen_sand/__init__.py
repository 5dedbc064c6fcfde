"""riskscreen-sand: the sand digging and earth moving plugin (挖砂动土专项整治).

It registers the ``sand_digging`` category's attributes, computes ``derived.sand_*``
fields (closed season, value grade, distances), ships the ``sand`` rule pack and runs
the Python checks for the criminal value thresholds and repeat offences. Local
thresholds are configured under ``Settings.plugins["sand"]`` (see :class:`SandConfig`).
"""

from .config import SandConfig
from .models import SandDiggingAttrs

__version__ = "1.0.0"

__all__ = ["SandConfig", "SandDiggingAttrs", "__version__"]

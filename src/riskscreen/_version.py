"""The riskscreen version, read by the build backend and reported in provenance."""

__version__ = "0.1.0"

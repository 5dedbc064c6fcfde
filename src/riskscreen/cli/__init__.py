"""The ``riskscreen`` command line."""

"""Tests of the domain plugins under plugins/."""

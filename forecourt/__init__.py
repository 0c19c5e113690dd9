"""Forecourt: an open-source dealership management system."""

__version__ = "0.1.0"

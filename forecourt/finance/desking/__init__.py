"""Desking: the calculators as API endpoints and as the desking screen."""

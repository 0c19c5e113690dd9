"""Pages of the customers app: thin adapters over actions.py and scoped reads."""

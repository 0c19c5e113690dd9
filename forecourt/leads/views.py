"""Pages of the leads app: thin adapters over actions.py and scoped reads."""

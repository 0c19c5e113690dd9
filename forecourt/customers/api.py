"""/api/v1 endpoints of the customers app: thin adapters over actions.py and scoped reads."""

from ninja import Router

router = Router(tags=["Customers"])

"""Credit applications: taken, checked for identity-theft red flags, printed for a lender,
kept as Regulation B requires and then disposed of. Nothing is transmitted to a lender
(integration.py is the interface a transmission would implement)."""

"""Finance contracts: a deal's lender approval, sell rate, reserve and products sold."""

"""Finance and F&I: payments, disclosures, lenders, products and credit applications."""

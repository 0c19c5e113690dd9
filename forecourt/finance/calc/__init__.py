"""The pure finance calculations: Decimal in, Decimal out, no database and no Django.

docs/finance.md gives every formula with its source, the rounding rules and the tolerances.
"""

"""The leads CSV import: parsing.py (the file and its rows), actions.py (the write), forms.py,
views.py and urls.py (the page at /leads/import/)."""

"""Customers' compliance: OFAC screening, legal holds, retention and disposal, and the data
export for access requests (docs/compliance.md). A subpackage with its own rooms: actions/,
api.py, views.py, urls.py (included by customers/urls.py), forms.py; ofac.py, retention.py
and export.py are its reads."""

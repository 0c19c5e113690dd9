"""The leads pages, one module per screen family (leads/urls.py maps each URL to one):
leads.py (board, list, walk-in, a lead's page), timeline.py (a customer's timeline and its
forms), appointments.py, drives.py (test drives), my_day.py; the CSV import is leads/imports/."""

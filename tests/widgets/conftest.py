"""The widget tests run on the small demo store with two years of orders
(``tests/backoffice.py``, whose fixtures every test can use)."""

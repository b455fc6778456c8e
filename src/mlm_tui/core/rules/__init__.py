"""Pure rules of the business: no I/O, no store, no screen."""

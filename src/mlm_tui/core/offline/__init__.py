"""Working away from the team server: the outbox of orders made ready offline and the
sync that sends them, exactly once."""

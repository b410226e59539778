"""Planning rounds: the database's catalogue and needs turned into optimiser instances, and
the resulting allocations stored as plans."""

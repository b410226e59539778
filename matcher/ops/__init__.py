"""Operations: consistency check of the reservation counters, backup and restore."""

"""Open data exports (OCDS)."""

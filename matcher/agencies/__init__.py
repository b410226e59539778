"""Agencies (Perangkat Daerah / SKPD) and their fiscal-year budgets."""

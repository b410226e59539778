"""Explained supplier shortlists for one need."""

"""Pasar sistemik matcher: verified local supplier catalogue and procurement allocation."""

__version__ = "0.1.0"

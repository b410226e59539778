"""The ``matcher`` command line. Commands are thin: they parse, call a service, print."""

"""Authentication (password hashing, tokens) and the acting principal."""

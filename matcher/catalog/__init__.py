"""The verified catalogue: suppliers, offers, certificates, taxonomy, import and verification."""

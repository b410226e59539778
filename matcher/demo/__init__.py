"""Deterministic Kota Batu demo data: the real geography and agencies, generated UMKM,
cooperatives, offers, certificates, needs and demo users.

``data`` holds the fixed facts and vocabulary, ``generate`` turns a seed into plain records
(the single source of the dataset), ``load`` writes them to the database and ``instance``
exports them as a spec instance folder for ``matcher solve``."""

"""Reports: the six-monthly report of the Kepala Dinas to the Walikota."""

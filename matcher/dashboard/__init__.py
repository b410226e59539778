"""The Dinas dashboard of local spending: figures (``service``) and charts (``charts``)."""

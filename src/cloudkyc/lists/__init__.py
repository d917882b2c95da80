"""Restricted-party lists: the Party model, one parser per source format, download and update."""

"""Widgets of the main window: search box, filter panel, reader, provenance, versions."""

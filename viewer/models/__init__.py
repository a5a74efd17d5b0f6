"""Qt item models over archive queries (each fetches off the GUI thread)."""

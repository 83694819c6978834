"""Views of the area."""

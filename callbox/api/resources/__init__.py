"""One module per REST resource: its JSON shape, its filters and its routes."""

"""The pytest plugin entry point (registered as ``callflow`` in ``pytest11``)."""

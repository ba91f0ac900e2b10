"""What ``callbox serve`` serves: the REST API, hosted flows, recordings and the test hooks,
in one Starlette app whose lifespan runs the platform (store, exchange)."""

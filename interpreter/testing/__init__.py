"""Testing call flows from pytest: drive a simulated call against a URL or an in-process app."""

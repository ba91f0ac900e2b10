"""callbox's web server: hosting call-flow files (and, later, the REST API and the web phone)."""

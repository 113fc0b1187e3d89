"""Home pages for each role, the language switch and the health check."""

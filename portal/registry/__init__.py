"""The recipient registry: imports, validation, aid history and the double-aid lookup."""

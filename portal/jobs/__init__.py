"""Background work through Huey, and the job records pages read progress from."""

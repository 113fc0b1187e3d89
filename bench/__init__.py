"""Benchmarks: a Kukar-sized data generator and timed measurements against it."""

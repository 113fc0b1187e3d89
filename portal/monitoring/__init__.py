"""Monitoring visits after a handover: their schedule, recording them, closing them."""

"""Aggregate statistics for the coordination office: counts only, cell-key perturbed."""

"""Recommendation requests: the catalogue a request sees, the stored snapshot, replay and the
jobseeker's handout.
"""

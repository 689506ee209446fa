"""Ranking a catalogue for one person: eligibility, the rules, the effect ranker, the shortlist and
its reasons.
"""

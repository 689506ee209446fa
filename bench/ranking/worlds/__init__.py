"""Synthetic worlds for the ranking bench only, with effect structures and confounding other than
``training.synthetic``'s. Nothing in ``training`` may import from here."""

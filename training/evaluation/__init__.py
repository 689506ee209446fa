"""Off-policy evaluation and doubly robust effects, and the true gain on synthetic worlds."""

"""Which model serves: the registry, the champion per worker, the ranking mode and the data and
lock of a retrain.
"""

"""The retrain pipeline: choice of settings, gates, drift, model card and artefacts."""

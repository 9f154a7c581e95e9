"""Fitted models: the two-part payment model, the precedent finder, and their file format."""

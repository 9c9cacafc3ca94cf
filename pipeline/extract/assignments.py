"""Placeholder until this extractor lands."""


def extract(ctx):
    return []

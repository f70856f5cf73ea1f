"""Scoring segmentations against ground truth (PAGE-XML, synthetic pages)."""

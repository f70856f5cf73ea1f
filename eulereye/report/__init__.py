"""``eulereye report``: a static HTML report over every page of an output tree (see site.py)."""

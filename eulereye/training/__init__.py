"""Training the learned segmenters (``eulereye train``): beside ``eulereye.segment``, whose
models it trains, and above ``eulereye.synth`` and ``eulereye.evaluation``, which it draws its
pages and its validation scores from. Needs torch (``pip install eulereye[fcn]``)."""

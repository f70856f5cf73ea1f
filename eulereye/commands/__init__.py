"""One module per CLI verb. Each has ``register(subparsers)`` which adds its parser and sets
``func`` (taking the parsed args, returning the exit code). Heavy imports stay inside ``func``
so ``eulereye --help`` and the worker start fast."""

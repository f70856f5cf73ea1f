"""Errors a page can fail with. ``permanent`` decides what the worker does with the message:
a permanent failure is recorded under ``errors/`` and never retried; a transient one is left
for the queue to redeliver."""


class PageError(Exception):
    permanent = True


class BadImageError(PageError):
    """The file is not a readable image: zero bytes, truncated, corrupt, not an image at all."""


class MissingDpiError(PageError):
    """An output needs the image's resolution (NDNP ALTO's 1/1200 inch) and neither the file
    nor ``--dpi`` gives one."""


class UnsupportedFormatError(PageError):
    """A readable file in a format we do not take (see ``imaging.SUPPORTED_SUFFIXES``)."""


class ImageTooLargeError(PageError):
    """More pixels than the configured limit: a guard against decompression bombs."""


class TransientError(PageError):
    """Worth trying again later: throttling, a 5xx from AWS, a timeout."""

    permanent = False

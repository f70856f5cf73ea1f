"""The settings of a run: one typed object, built once at the edge and passed down.

``eulereye.environment`` builds it from the ``EULEREYE_*`` variables (set by Terraform in the
cloud) and checks every value; the CLI's flags start from it. Nothing below the edge reads the
environment. Nothing here names a bucket, region or account: AWS location and credentials come
from the usual AWS variables (``AWS_REGION``, ``AWS_ENDPOINT_URL`` for a local stand-in, ...).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# 400 megapixels: far above any real scan (a 600 dpi broadsheet is ~0.1 Gpx), far below what
# a decompression bomb claims. Per image, checked before any pixel is decoded.
DEFAULT_MAX_PIXELS = 400_000_000


@dataclass(frozen=True)
class Settings:
    bucket: str = ""
    queue_url: str = ""
    input_prefix: str = "input/"
    output_prefix: str = "output/"
    engine: str = "tesseract"
    segmenter: str = "auto"
    lang: str = "eng"
    max_pixels: int = 0  # 0: DEFAULT_MAX_PIXELS locally; the worker derives it from its memory
    jobs: int = 0  # pages processed at once (each with one OCR process); 0: one per CPU
    log_format: str = "auto"  # auto | json | console
    idle_seconds: int = 120  # the worker exits after this long without work
    visibility_timeout: int = 300  # seconds a received message stays hidden; extended while busy
    stop_grace_seconds: int = 100  # after SIGTERM, pages in progress get this long to finish
    textract_mode: str = "page"  # page: one Textract call per page | section: one per section
    fcn_weights: str = ""  # a user's FCN checkpoint instead of the shipped weights
    formats: str = ""  # output formats, comma-separated (eulereye.outputs.formats); "" = default set
    alto_profile: str = "pixel"  # pixel | ndnp
    dpi: float = 0  # resolution of images whose file states none (0: none)
    page_timeout: int = 900  # worker: seconds one page may take before it is stopped
    rate_table: str = ""  # DynamoDB table counting Textract calls across the fleet
    textract_tps: int = 0  # fleet-wide Textract calls per second (0: no cap)
    image_tag: str = ""  # the worker image's tag (set by the task definition); kept in manifests


def cpu_count() -> int:
    """CPUs this process may use (respects cgroup/affinity limits, as on Fargate)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)

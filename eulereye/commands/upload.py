"""``eulereye upload DIR --bucket B [--prefix FOLDER]``: put page images under input/
(or a sub-folder of it), resumably."""

from __future__ import annotations


def register(subparsers, settings) -> None:
    parser = subparsers.add_parser("upload", help="upload a folder of page images to the bucket's input/",
                                   description="Parallel multipart upload under input/; files already "
                                               "there with the same size and SHA-256 are skipped, so "
                                               "re-running resumes an interrupted upload.")
    parser.add_argument("folder", metavar="DIR", help="folder of page images (searched recursively)")
    parser.add_argument("--bucket", default=settings.bucket or None, required=not settings.bucket,
                        help="the page bucket (default: EULEREYE_BUCKET)")
    parser.add_argument("--prefix", default="", metavar="FOLDER",
                        help=f"sub-folder below {settings.input_prefix} to upload into, e.g. 1890/03 or {settings.input_prefix}1890/03 "
                             f"(default: {settings.input_prefix} itself; only pages under it are processed)")
    parser.add_argument("--threads", type=int, default=8, help="files uploaded at once")
    parser.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from tqdm import tqdm

    from eulereye.awsclients import operator_client
    from eulereye.errors import UsageError
    from eulereye.inputs import find_inputs
    from eulereye.logs import get_logger
    from eulereye.ops import upload

    if not Path(args.folder).is_dir():
        raise UsageError(f"{args.folder}: not a folder; give the folder of page images to upload "
                         "(quote names with spaces)")
    key_prefix = input_key_prefix(args.settings.input_prefix, args.prefix)
    inputs = find_inputs([args.folder])
    with tqdm(total=sum(path.stat().st_size for path, _ in inputs), unit="B", unit_scale=True,
              desc="upload") as bar:
        counts = upload(operator_client("s3"), args.folder, args.bucket, key_prefix, args.threads,
                        bar.update, inputs)
    get_logger().info("uploaded", bucket=args.bucket, prefix=key_prefix, **counts)
    if counts["failed"]:
        print(f"{counts['failed']} file(s) could not be uploaded; run the same command again to "
              "resume (files already there are skipped)")
        return 1
    return 0


def input_key_prefix(input_prefix: str, folder: str) -> str:
    """The key prefix of ``--prefix FOLDER``: a sub-folder of the input prefix (``news`` and
    ``input/news`` both mean ``input/news/``), since the platform processes only uploads below
    it. Refuses what would land elsewhere."""
    from eulereye.errors import UsageError

    if folder.startswith(input_prefix):  # the full key prefix, already below input/
        folder = folder[len(input_prefix):]
    parts = folder.strip("/").split("/") if folder.strip("/") else []
    if folder.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise UsageError(f"--prefix {folder!r}: give a folder below {input_prefix}, such as 1890/03")
    return input_prefix + "".join(part + "/" for part in parts)

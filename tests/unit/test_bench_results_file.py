"""bench/RESULTS.md: each benchmark script rewrites its own section and keeps the others."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from results_file import write_section  # noqa: E402


def test_a_section_is_replaced_and_the_others_kept(tmp_path):
    results = tmp_path / "RESULTS.md"
    write_section(results, "pipeline", "# Pipeline\nold")
    write_section(results, "segmentation", "## Segmentation\nfirst")
    write_section(results, "pipeline", "# Pipeline\nnew")
    text = results.read_text()
    assert "new" in text and "old" not in text and "## Segmentation\nfirst" in text
    assert text.index("# Pipeline") < text.index("## Segmentation")
    write_section(results, "segmentation", "## Segmentation\nsecond")
    assert results.read_text().count("## Segmentation") == 1 and "second" in results.read_text()

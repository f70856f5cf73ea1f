"""`eulereye eval` on a hand-made PAGE-XML page whose scores are known."""

from __future__ import annotations

import json

import pytest

from eulereye.cli import main
from eulereye.evaluation.layout_eval import score_page
from eulereye.outputs.readers import SectionRecord

# Two columns of one paragraph each, a heading across both; reading order: heading, left, right.
PAGE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<pc:PcGts xmlns:pc="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
 <pc:Page imageFilename="p.png" imageWidth="1000" imageHeight="1000">
  <pc:ReadingOrder><pc:OrderedGroup id="g">
   <pc:RegionRefIndexed index="0" regionRef="head"/>
   <pc:RegionRefIndexed index="1" regionRef="left"/>
   <pc:RegionRefIndexed index="2" regionRef="right"/>
  </pc:OrderedGroup></pc:ReadingOrder>
  <pc:TextRegion id="right" type="paragraph"><pc:Coords points="550,200 950,200 950,900 550,900"/>
   <pc:TextLine id="l3"><pc:Coords points="550,200 950,200 950,240 550,240"/>
    <pc:TextEquiv><pc:Unicode>dritte Zeile</pc:Unicode></pc:TextEquiv></pc:TextLine></pc:TextRegion>
  <pc:TextRegion id="head" type="heading"><pc:Coords points="50,50 950,50 950,150 50,150"/>
   <pc:TextEquiv><pc:Unicode>Die Zeitung</pc:Unicode></pc:TextEquiv></pc:TextRegion>
  <pc:TextRegion id="left" type="paragraph"><pc:Coords points="50,200 450,200 450,900 50,900"/>
   <pc:TextLine id="l2"><pc:Coords points="50,200 450,200 450,240 50,240"/>
    <pc:TextEquiv><pc:Unicode>zweyte Zeile</pc:Unicode></pc:TextEquiv></pc:TextLine></pc:TextRegion>
  <pc:SeparatorRegion id="rule"><pc:Coords points="495,200 505,200 505,900 495,900"/></pc:SeparatorRegion>
 </pc:Page>
</pc:PcGts>
"""


@pytest.fixture
def gt_dir(tmp_path):
    folder = tmp_path / "gt"
    folder.mkdir()
    (folder / "p.xml").write_text(PAGE_XML)
    return folder


def test_a_perfect_prediction_scores_perfectly(gt_dir):
    sections = [SectionRecord((50, 50, 951, 151), "headline", "Die Zeitung"),
                SectionRecord((50, 200, 451, 901), "text", "zweyte Zeile"),
                SectionRecord((550, 200, 951, 901), "text", "dritte Zeile")]
    score = score_page("p", sections, gt_dir / "p.xml")
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert score.straddle == 0.0 and score.coverage == 1.0
    assert score.order == 1.0 and score.cer == 0.0


def test_a_section_across_both_columns_straddles_and_misses_both(gt_dir):
    sections = [SectionRecord((50, 200, 951, 901), "text", "zweyte Zeile dritte Zeile"),
                SectionRecord((50, 50, 951, 151), "headline", "Die Zeitung"),
                SectionRecord((0, 0, 10, 10), "illustration")]  # no text: not compared
    score = score_page("p", sections, gt_dir / "p.xml")
    assert score.pred_sections == 2 and score.gt_regions == 3
    assert score.precision == 0.5 and score.recall == pytest.approx(1 / 3)
    assert score.f1 == pytest.approx(0.4)
    assert score.straddle == 0.5
    assert score.coverage == pytest.approx(1.0, abs=0.01)
    # the heading is read after the section standing for the columns: no pair agrees.
    assert score.order == 0.0
    assert score.cer > 0.5  # the heading's text comes last


def test_eval_command_prints_a_table_and_writes_json(gt_dir, tmp_path, capsys):
    out = tmp_path / "out"
    (out / "sections").mkdir(parents=True)
    sections = [{"id": 1, "order": 0, "kind": "text", "bbox": [50, 200, 451, 901],
                 "text": "zweyte Zeile", "lines": []}]
    (out / "sections" / "p.json").write_text(json.dumps(sections))
    assert main(["eval", "--pred", str(out), "--gt", str(gt_dir), "--json", str(tmp_path / "s.json")]) == 0
    table = capsys.readouterr().out
    assert "| p | 3 | 1 |" in table and "**mean**" in table
    scores = json.loads((tmp_path / "s.json").read_text())
    assert scores["mean"]["recall"] == pytest.approx(1 / 3)
    assert scores["pages"][0]["precision"] == 1.0


def test_eval_without_sections_is_a_usage_error(gt_dir, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["eval", "--pred", str(tmp_path), "--gt", str(gt_dir)])
    assert exit_info.value.code == 2

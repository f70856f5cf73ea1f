import csv
import io
import json

from eulereye.model import Line, Page, Section, Word
from eulereye.outputs.alto import alto_xml
from eulereye.outputs.formats import DEFAULT_FORMATS
from eulereye.outputs.writers import Source, coords_csv, coords_json, format_files, plain_text, sections_json


def sample_page() -> Page:
    headline = Section(id=1, order=0, kind="headline", bbox=(10, 10, 400, 60),
                       lines=[Line([Word("GREAT", 95.0, (10, 10, 200, 60)), Word("FIRE", 91.5, (210, 10, 400, 60))])])
    column = Section(id=2, order=1, kind="text", bbox=(10, 80, 200, 200),
                     lines=[Line([Word('said,"no"', 80.0, (10, 80, 120, 100))]),
                            Line([Word("Ünïcode&<x>", 12.0, (10, 110, 150, 130))])])
    picture = Section(id=3, order=2, kind="illustration", bbox=(220, 80, 400, 200))
    return Page(name="1890/p.001", width=420, height=220, sections=[headline, column, picture], skew_angle=1.5)


def test_plain_text_has_sections_in_order_with_blank_lines_between():
    assert plain_text(sample_page()) == 'GREAT FIRE\n\nsaid,"no"\nÜnïcode&<x>\n'


def test_coords_csv_quotes_where_needed_and_round_trips():
    rows = list(csv.reader(io.StringIO(coords_csv(sample_page()))))
    assert rows[0] == ["GREAT", "1", "95.0", "10", "10", "200", "60"]
    assert rows[2][0] == 'said,"no"'
    assert len(rows) == 4


def test_coords_json_has_the_seed_field_names():
    words = coords_json(sample_page())
    assert set(words[0]) == {"word", "segment", "read_order_segment_id", "confidence",
                             "x_min", "y_min", "x_max", "y_max"}
    assert [w["read_order_segment_id"] for w in words] == [0, 0, 1, 1]


def test_sections_json_lists_sections_in_reading_order():
    sections = sections_json(sample_page())
    assert [s["order"] for s in sections] == [0, 1, 2]
    assert sections[1]["bbox"] == [10, 80, 200, 200]
    assert sections[1]["lines"][1]["text"] == "Ünïcode&<x>"
    assert sections[2]["kind"] == "illustration" and sections[2]["lines"] == []


def test_alto_validates_and_states_reading_order(alto_schema):
    xml = alto_xml(sample_page(), source_name="input/1890/p.001.tif", software_version="0", engine="tesseract")
    alto_schema.validate(xml.decode())
    assert xml.index(b'REF="block-1"') < xml.index(b'REF="block-2"') < xml.index(b'REF="block-3"')
    assert b'CONTENT="&#220;' in xml or "Ünïcode&amp;&lt;x&gt;".encode() in xml


def test_every_contract_file_is_produced():
    files = {}
    for fmt in DEFAULT_FORMATS:
        files.update(format_files(fmt, sample_page(), None, Source("p.tif", "0", "tesseract")))
    assert sorted(files) == ["alto/1890/p.001.xml", "ocr_coords/1890/p.001.json",
                             "ocr_coords/1890/p.001.txt", "ocr_plain_text/1890/p.001.txt",
                             "sections/1890/p.001.json"]
    json.loads(files["sections/1890/p.001.json"][0])

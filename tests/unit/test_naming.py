from eulereye.outputs.naming import frame_name, output_path, page_name, unique_names


def test_page_name_keeps_folders_and_inner_dots():
    assert page_name("1890/03/p.001.tif") == "1890/03/p.001"
    assert page_name("scan") == "scan"
    assert page_name("a b/ü+x.jp2") == "a b/ü+x"


def test_frames_of_a_multi_frame_file_get_numbered_names():
    assert frame_name("1890/p.001", 0, 1) == "1890/p.001"
    assert [frame_name("x", i, 3) for i in range(3)] == ["x_f0001", "x_f0002", "x_f0003"]


def test_clashing_names_keep_their_extension():
    names = unique_names(["a/scan.tif", "a/scan.png", "b/scan.png", "c.jpg"])
    assert names == {"a/scan.tif": "a/scan.tif", "a/scan.png": "a/scan.png",
                     "b/scan.png": "b/scan", "c.jpg": "c"}
    assert len(set(names.values())) == len(names)


def test_output_paths_follow_the_contract():
    assert output_path("alto", "1890/p.001") == "alto/1890/p.001.xml"
    assert output_path("ocr_coords", "p", ".json") == "ocr_coords/p.json"

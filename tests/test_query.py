import pytest

from bodymap import QueryError, query, search_points


def codes(matches):
    return [m.point.code for m in matches]


@pytest.mark.parametrize("text", ["BL23", "BL-23", "bl 23", "Bl23", "UB23", "ub-23", "BL.23"])
def test_bladder_code_in_any_form_finds_bl23(atlas, text):
    assert codes(search_points(atlas, text))[0] == "BL23"


@pytest.mark.parametrize("text, expected", [
    ("Ren12", "CV12"), ("Ren-12", "CV12"), ("Du4", "GV4"), ("SJ5", "TE5"), ("TW 5", "TE5"),
    ("LIV3", "LR3"), ("Liv-3", "LR3"), ("P7", "PC7"), ("GV26", "GV26"),
])
def test_other_systems_resolve_to_who_codes(atlas, text, expected):
    found = search_points(atlas, text)
    assert codes(found) == [expected]
    assert found[0].reading == "WHO numbering"


def test_b54_shows_both_readings_labelled(atlas):
    found = {m.point.code: m for m in search_points(atlas, "B54")}
    assert set(found) == {"BL54", "BL40"}
    assert found["BL40"].reading == "older bladder numbering"
    assert found["BL54"].reading == "WHO numbering"
    assert "BL40" in found["BL40"].how and "older" in found["BL40"].how


def test_b47_older_numbering_is_bl52(atlas):
    found = {m.point.code: m.reading for m in search_points(atlas, "B-47")}
    assert found["BL52"] == "older bladder numbering"


def test_who_code_listed_before_older_reading(atlas):
    result = query(atlas, search="BL54")
    assert result.codes[0] == "BL54"
    assert result.ambiguous


def test_unambiguous_code_is_not_ambiguous(atlas):
    assert not query(atlas, search="LI4").ambiguous


@pytest.mark.parametrize("text, expected", [
    ("肾俞", "BL23"), ("Shen Shu", "BL23"), ("shenshu", "BL23"), ("Wei Zhong", "BL40"),
    ("joining valley", "LI4"), ("Ling Gu", "LINGGU"), ("linggu", "LINGGU"), ("22.05", "LINGGU"),
])
def test_names_hanzi_and_aliases(atlas, text, expected):
    assert expected in codes(search_points(atlas, text))


def test_popular_name_alias(atlas):
    found = codes(search_points(atlas, "Sea of Vitality"))
    assert {"BL23", "BL52"} <= set(found)


def test_meridian_name_lists_its_points(atlas):
    found = search_points(atlas, "gallbladder")
    assert found and all(m.point.meridian == "GB" for m in found)
    assert len(found) == sum(1 for p in atlas.points.values() if p.meridian == "GB")


def test_nonsense_finds_nothing(atlas):
    assert search_points(atlas, "zzqx") == []
    assert search_points(atlas, "XX99") == []


def test_empty_search_returns_every_point_in_channel_order(atlas):
    found = codes(search_points(atlas, "  "))
    assert len(found) == len(atlas.points)
    assert found.index("LU1") < found.index("LI4") < found.index("BL23") < found.index("BL40") < found.index("CV12")


def test_filter_by_meridian_accepts_aliases(atlas):
    assert set(query(atlas, meridians=["UB"]).codes) == {c for c, p in atlas.points.items() if p.meridian == "BL"}


def test_filter_by_view(atlas):
    result = query(atlas, views=["hand"])
    assert "LI4" in result.codes and "BL23" not in result.codes


def test_conditions_rank_points_serving_more_first(atlas):
    result = query(atlas, conditions=["sciatica", "lower-back-pain"])
    ranks = [m.rank for m in result.matches]
    assert ranks == sorted(ranks, reverse=True)
    both = [m.point.code for m in result.matches if m.rank == 2]
    assert "BL23" in both
    for match in result.matches:
        assert set(match.conditions) <= set(match.point.conditions)


def test_filters_combine(atlas):
    result = query(atlas, conditions=["sciatica"], meridians=["GB"])
    assert result.codes == ("GB30",)


def test_unknown_filters_raise_clear_errors(atlas):
    with pytest.raises(QueryError, match="unknown meridian 'XY'"):
        query(atlas, meridians=["XY"])
    with pytest.raises(QueryError, match="unknown condition"):
        query(atlas, conditions=["no-such-thing"])
    with pytest.raises(QueryError, match="unknown view"):
        query(atlas, views=["ceiling"])

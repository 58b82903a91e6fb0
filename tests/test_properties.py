"""Property-based tests: any input either works or fails the documented way."""

import csv
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bodymap import DataError, QueryError, load_atlas, query, search_points

CORPUS_VALID = Path(__file__).resolve().parent / "corpus" / "_valid"
TABLES = sorted(p.name for p in CORPUS_VALID.glob("*.csv"))
cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.sampled_from(TABLES), row=st.integers(0, 5), column=st.integers(0, 9), value=cell_text)
def test_loader_loads_or_reports_problems(tmp_path_factory, table, row, column, value):
    folder = tmp_path_factory.mktemp("data")
    shutil.rmtree(folder)
    shutil.copytree(CORPUS_VALID, folder)
    path = folder / table
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    target = rows[min(row, len(rows) - 1)]
    target[min(column, len(target) - 1)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    try:
        atlas = load_atlas(folder)
    except DataError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file and problem.field and problem.message
            assert str(problem).startswith(problem.file)
    else:
        assert atlas.points


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_search_never_fails(atlas, text):
    for match in search_points(atlas, text):
        assert match.point.code in atlas.points


@settings(max_examples=200, deadline=None)
@given(meridians=st.lists(st.text(max_size=6), max_size=3), conditions=st.lists(st.text(max_size=12), max_size=3),
       views=st.lists(st.sampled_from(["front", "back", "leg", "nowhere", ""]), max_size=2))
def test_query_returns_or_names_the_unknown_filter(atlas, meridians, conditions, views):
    try:
        result = query(atlas, meridians=meridians, conditions=conditions, views=views)
    except QueryError as error:
        assert str(error).startswith("unknown ")
    else:
        assert all(m.point.code in atlas.points for m in result.matches)

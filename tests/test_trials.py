"""Trial references: facts from the TARA ontology, kept apart from traditional indications."""

import json
import re

from bodymap.app import details
from bodymap.cli import main
from bodymap.serialise import trial_text
from conftest import read_rows, write_rows
from test_validation import assert_reported, problems_of


def test_trials_are_complete_facts_with_their_source(atlas):
    assert len(atlas.trials) >= 30
    for doi, trial in atlas.trials.items():
        assert re.fullmatch(r"10\.\d{4,9}/\S+", doi) and trial.url == f"https://doi.org/{doi}"
        assert trial.points and all(code in atlas.points for code in trial.points)
        assert trial.source == "tara-ontology" and trial.studied
        assert trial.condition == "" or trial.condition in atlas.conditions
    assert "MIT" in atlas.sources["tara-ontology"].notes


def test_only_the_active_arm_counts(atlas):
    # The irritable bowel trial needled LI4; BL60 was its sham site, so BL60 is not listed for it.
    assert atlas.trials["10.1159/000048847"].points == ("LI4",)
    assert "10.1159/000048847" not in atlas.points["BL60"].trials


def test_points_know_their_trials(atlas):
    low_back = [atlas.trials[d] for d in atlas.points["BL23"].trials if atlas.trials[d].condition == "lower-back-pain"]
    assert len(low_back) >= 3
    for point in atlas.points.values():
        for doi in point.trials:
            assert point.code in atlas.trials[doi].points


def test_trial_wording_reports_use_not_effect(atlas):
    for doi in atlas.trials:
        text = trial_text(atlas, doi)
        assert text.startswith("used in a randomised trial of ")
        assert not re.search(r"effective|works|proven|cures|treats|evidence", text)


def test_json_keeps_trials_apart_from_indications(capsys, atlas):
    assert main(["points", "--format", "json"]) == 0
    records = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    apart = 0
    for code, record in records.items():
        linked = {link.condition for link in atlas.points[code].links}
        assert set(record["conditions"]) == linked  # a trial never adds a condition
        assert [t["doi"] for t in record["trials"]] == list(atlas.points[code].trials)
        apart += any(t["condition"] and t["condition"] not in linked for t in record["trials"])
    assert apart  # some points were used in trials of conditions no source links them to
    trial = records["BL23"]["trials"][0]
    assert set(trial) == {"doi", "url", "year", "studied", "condition", "text", "source"}


def test_details_show_research_apart_and_with_the_caveat(atlas):
    rendered = str(details.render(atlas, "BL23"))
    assert "In research" in rendered and "does not show that the point works" in rendered
    assert rendered.index("Traditionally used for") < rendered.index("In research")
    assert "Used in a randomised trial of chronic low back pain" in rendered
    assert "https://doi.org/10.1016/s0304-3959(02)00269-5" in rendered
    assert atlas.sources["tara-ontology"].title in rendered
    untried = next(code for code, point in atlas.points.items() if not point.trials)
    assert "In research" not in str(details.render(atlas, untried))


def test_trial_checks(data_copy):
    header, rows = read_rows(data_copy / "trials.csv")
    rows += [dict(doi="https://doi.org/10.1/x", year="2001", studied="pain", condition="", source="tara-ontology"),
             dict(doi="10.1000/no-points", year="2001", studied="pain", condition="", source="tara-ontology"),
             dict(doi="10.1000/odd", year="01", studied="pain", condition="gout", source="hearsay")]
    write_rows(data_copy / "trials.csv", header, rows)
    p_header, points = read_rows(data_copy / "trial_points.csv")
    points += [dict(doi="10.1000/unlisted", point="LI4"), dict(doi=points[0]["doi"], point="ZZ9"),
               dict(points[0])]
    write_rows(data_copy / "trial_points.csv", p_header, points)
    problems = problems_of(data_copy)
    n = len(rows) + 1
    assert_reported(problems, "trials.csv", n - 2, "doi", "is not a DOI")
    assert_reported(problems, "trials.csv", n - 1, "doi", "has no points")
    assert_reported(problems, "trials.csv", n, "year", "is not a year")
    assert_reported(problems, "trials.csv", n, "condition", "'gout' is not a known condition")
    assert_reported(problems, "trials.csv", n, "source", "'hearsay' is not a known source")
    m = len(points) + 1
    assert_reported(problems, "trial_points.csv", m - 2, "doi", "is not a trial in trials.csv")
    assert_reported(problems, "trial_points.csv", m - 1, "point", "'ZZ9' is not a known point")
    assert_reported(problems, "trial_points.csv", m, "point", "is already listed")

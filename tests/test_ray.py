"""``--engine ray``: the same process on Ray Data (a local Ray instance), same outputs, same resume."""
from __future__ import annotations

import pytest
from test_batch import EN_PT, tree, write_job

from newsmt import run
from newsmt.config import load_config

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_engine_matches_local_and_resumes(tmp_path, local_ray):
    job = write_job(tmp_path / "in", 5, 2)
    (job / "broken.jsonl").write_text('{"text": "ok. fine."}\n{oops\n', encoding="utf-8")
    cfg = load_config(EN_PT, ["summarize.sentences=1"])
    local = run([str(job)], cfg, tmp_path / "local", workers=1)
    on_ray = run([str(job)], cfg, tmp_path / "ray", engine="ray", workers=2)
    assert (on_ray.done, on_ray.failed) == (local.done, local.failed) == (8, 1)
    assert tree(tmp_path / "ray") == tree(tmp_path / "local")

    for part in sorted((tmp_path / "ray" / ".newsmt" / "parts").glob("*/*.json"))[:3]:
        part.unlink()  # as if the job had been killed before these articles were finished
    (tmp_path / "ray" / "records.jsonl").unlink()
    resumed = run([str(job)], cfg, tmp_path / "ray", engine="ray", workers=2)
    assert (resumed.done, resumed.skipped, resumed.failed) == (3, 5, 1)
    assert tree(tmp_path / "ray") == tree(tmp_path / "local")

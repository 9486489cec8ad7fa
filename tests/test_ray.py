"""``--engine ray``: the same process on Ray Data (a local Ray instance), same outputs, same resume."""
from __future__ import annotations

import pytest
from test_batch import EN_PT, index_rows, tree, write_job

from newsmt import run
from newsmt.config import load_config

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_engine_matches_local_and_resumes(tmp_path, local_ray):
    """Actors write the shards (and per-article files) themselves: the same bytes as a local run."""
    job = write_job(tmp_path / "in", 5, 2)
    (job / "broken.jsonl").write_text('{"text": "ok. fine."}\n{oops\n', encoding="utf-8")
    cfg = load_config(EN_PT, ["summarize.sentences=1", "run.shard_size=3"])
    local = run([str(job)], cfg, tmp_path / "local", workers=1, files=True)
    on_ray = run([str(job)], cfg, tmp_path / "ray", engine="ray", workers=2, files=True)
    assert (on_ray.done, on_ray.failed) == (local.done, local.failed) == (8, 1)
    assert tree(tmp_path / "ray") == tree(tmp_path / "local")
    assert index_rows(tmp_path / "ray") == index_rows(tmp_path / "local")

    for shard in sorted((tmp_path / "ray" / "records").iterdir())[1:3]:
        shard.unlink()  # as if lost: those groups are written again, their articles processed again
    (tmp_path / "ray" / "records.jsonl").unlink()
    resumed = run([str(job)], cfg, tmp_path / "ray", engine="ray", workers=2, files=True)
    assert (resumed.done, resumed.skipped, resumed.failed) == (6, 2, 1)
    assert tree(tmp_path / "ray") == tree(tmp_path / "local")


def test_web_archive_on_ray_matches_local(tmp_path, local_ray):
    """A WARC of real pages: local and Ray runs write the same bytes (archives stream through the
    driver; the groups of articles are spread across the actors). Extraction, segmentation and
    summaries only: the test above translates on the actors."""
    import gzip
    import json

    from conftest import shared_path
    from test_feeds_warc import build_warc

    dev = shared_path("eval", "web_pages_trafilatura_eval")
    rows = [json.loads(x) for x in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    pages = [({**r, "url": r["url"] if r["url"].startswith("http") else f"https://dev.example/{r['id']}"},
              gzip.decompress((dev / r["file"]).read_bytes())) for r in rows if r["lang"] == "en"][:8]
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(build_warc(pages, gz=True))
    cfg = load_config(EN_PT, ["summarize.sentences=1", "run.shard_size=2", "translate.enabled=false"])
    local = run([str(warc)], cfg, tmp_path / "local", workers=1)
    on_ray = run([str(warc)], cfg, tmp_path / "ray", engine="ray", workers=2)
    assert (on_ray.done, on_ray.failed) == (local.done, local.failed) and local.done >= 7
    assert tree(tmp_path / "ray") == tree(tmp_path / "local")
    again = run([str(warc)], cfg, tmp_path / "ray", engine="ray", workers=2)
    assert (again.done, again.skipped) == (0, local.done)

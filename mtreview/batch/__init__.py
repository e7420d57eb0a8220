"""``mtreview batch``: an archive (folders of articles, JSONL files, Parquet files) reviewed in
shards, each article exactly as ``mtreview check`` reviews it, into columnar outputs
(``findings`` and ``articles`` tables, schema ``mtreview-batch/1``: ``schema.py``).

Data flows one way::

    inputs (folders, JSONL, Parquet) ─▶ records.py: Record / Reject (streamed, row numbers)
        ─▶ pipeline.py: records grouped into shards of --shard-size, each keyed (content address)
        ─▶ shards already written with that key: skipped (resume / re-run costs only reading + hashing)
        ─▶ executors.py (local processes | Ray actors): each worker builds its state ONCE (worker.Worker:
           the Reviewer = loaded rules, compiled matchers, LanguageTool client) and reviews shard after shard,
           writing that shard's output files itself (outputs.py: temp + rename; articles file last = the shard is complete)
        ─▶ driver: progress on stderr (articles/s, ETA), rejects.jsonl, manifest.json (atomic), stale shards removed
        ─▶ rollup.py: `mtreview report DIR` / `batch --report out.html`: one self-contained HTML page

Nothing here is imported by ``mtreview check``; pyarrow is imported only where a Parquet file
is read or written.
"""

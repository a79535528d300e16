"""A long-lived Spark + delta-rs peer for the tests, driven over a pipe.

Requests arrive on stdin, one JSON object per line: {"id": n, "code": "<python>"}. The code runs
with `spark()` (a local Spark session with Delta, started on first use and kept), `deltalake`,
and the helpers below in scope, and sets `result`; the answer goes to fd 3 (stdout belongs to the
JVM and its logs): {"id": n, "ok": true, "result": ...} or {"id": n, "ok": false, "error": "..."}.
Values are made JSON-safe by `plain`: timestamps as UTC ISO-8601 with milliseconds, decimals
and big integers as text, bytes as hex.
"""
import datetime
import decimal
import json
import os
import sys
import time
import traceback

os.environ["TZ"] = "UTC"
time.tzset()

import deltalake  # noqa: E402

_spark = None
out = os.fdopen(3, "w", encoding="utf-8")


def delta_jars():
    """The Delta jars for this pyspark and delta-spark, fetched from Maven once into the peer cache.

    Ivy resolves them into a folder of their own (per Spark and Delta version) on the first start;
    later starts put the cached jars on the class path directly, skipping resolution (seconds of
    every JVM start). Returns the jar paths, or None when they are not cached yet.
    """
    d = delta_ivy_dir()
    if not os.path.exists(os.path.join(d, ".complete")):
        return None
    jars = sorted(os.path.join(d, "jars", f) for f in os.listdir(os.path.join(d, "jars")) if f.endswith(".jar"))
    return jars or None


def delta_ivy_dir():
    import importlib.metadata

    import pyspark

    spark_mm = ".".join(pyspark.__version__.split(".")[:2])
    return os.path.join(os.environ["PINPIPE_SPARK_IVY"], f"delta-{importlib.metadata.version('delta_spark')}-spark-{spark_mm}")


def spark():
    """The Spark session (local, Delta enabled, UTC), started on first use."""
    global _spark
    if _spark is None:
        from delta import configure_spark_with_delta_pip
        from pyspark.sql import SparkSession

        b = (
            SparkSession.builder.master("local[2]")
            .appName("pinpipe-test-peer")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.memory", "1g")
            .config("spark.databricks.delta.snapshotPartitions", "2")
        )
        jars = delta_jars()
        if jars:
            b = b.config("spark.jars", ",".join(jars))
        else:
            b = configure_spark_with_delta_pip(b.config("spark.jars.ivy", delta_ivy_dir()))
        _spark = b.getOrCreate()
        _spark.sparkContext.setLogLevel("ERROR")
        if not jars:
            open(os.path.join(delta_ivy_dir(), ".complete"), "w").close()
    return _spark


def plain(v):
    """A value as JSON-safe data (see the module doc)."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v if abs(v) < 2**53 else str(v)
    if isinstance(v, float):
        return v if v == v and v not in (float("inf"), float("-inf")) else str(v)
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d}T{v.hour:02d}:{v.minute:02d}:{v.second:02d}.{v.microsecond // 1000:03d}Z"
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if hasattr(v, "asDict"):
        return {k: plain(x) for k, x in v.asDict().items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return str(v)


def rows_of(df):
    """A Spark DataFrame's rows as JSON-safe dicts."""
    return [plain(r.asDict()) for r in df.collect()]


def spark_read(path, version=None):
    """A Delta table as delta-spark reads it: schema (Delta JSON), rows, history (version, operation, mode)."""
    from delta.tables import DeltaTable

    r = spark().read.format("delta")
    if version is not None:
        r = r.option("versionAsOf", version)
    df = r.load(path)
    hist = DeltaTable.forPath(spark(), path).history().select("version", "operation", "operationParameters").collect()
    return {
        "schema": json.loads(df.schema.json()),
        "rows": rows_of(df),
        "history": sorted([[h.version, h.operation, (h.operationParameters or {}).get("mode")] for h in hist]),
    }


def rs_read(path, version=None):
    """A Delta table as delta-rs (deltalake) reads it: schema, rows, history."""
    dt = deltalake.DeltaTable(path, version=version)
    rows = dt.to_pyarrow_table().to_pylist()
    hist = deltalake.DeltaTable(path).history()  # of the table (loaded at an older version, delta-rs numbers it from there)
    return {
        "schema": json.loads(dt.schema().to_json()),
        "rows": [plain(r) for r in rows],
        "history": sorted([[h["version"], h.get("operation"), (h.get("operationParameters") or {}).get("mode")] for h in hist]),
        "protocol": [dt.protocol().min_reader_version, dt.protocol().min_writer_version],
    }


scope = {"spark": spark, "delta_jars": delta_jars, "deltalake": deltalake, "plain": plain, "rows_of": rows_of, "spark_read": spark_read, "rs_read": rs_read, "json": json}

for line in sys.stdin:
    if not line.strip():
        continue
    req = json.loads(line)
    try:
        env = dict(scope)
        env["args"] = req.get("args")
        exec(req["code"], env)
        reply = {"id": req["id"], "ok": True, "result": plain(env.get("result"))}
    except Exception as e:  # noqa: BLE001 - the error goes back to the test
        reply = {"id": req["id"], "ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()[-4000:]}
    out.write(json.dumps(reply) + "\n")
    out.flush()

if _spark is not None:
    _spark.stop()

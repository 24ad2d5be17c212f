// Request-body harness: static/js/scorm-api.js's compressor and splitter, one job per stdin
// line, one JSON answer per line (tests/runtime_js/test_bodies.py):
//   {"deflate": base64}               -> {"deflated": base64, "ms": time taken}
//   {"encode": body}                  -> {"data": base64 of the request body, "compressed"}
//   {"split": [changes, budget]}      -> {"cuts": [...], "parts": [[change, ...], ...]}
"use strict";

const path = require("path");
const readline = require("readline");

const { deflateRaw, encodeBody, splitBatch, cutChanges } =
  require(path.join(__dirname, "..", "..", "static", "js", "scorm-api.js"));

function answer(job) {
  if ("deflate" in job) {
    const input = new Uint8Array(Buffer.from(job.deflate, "base64"));
    const started = process.hrtime.bigint();
    const deflated = deflateRaw(input);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { deflated: Buffer.from(deflated).toString("base64"), ms };
  }
  if ("encode" in job) {
    const body = encodeBody(job.encode);
    const bytes = typeof body.data === "string" ? Buffer.from(body.data, "utf8") : Buffer.from(body.data);
    return { data: bytes.toString("base64"), compressed: body.compressed, bytes: body.bytes };
  }
  const [changes, budget] = job.split;
  const cuts = splitBatch(changes, budget);
  return { cuts, parts: cutChanges(changes, cuts) };
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  let result;
  try {
    result = answer(JSON.parse(line));
  } catch (error) {
    result = { crash: String(error && error.stack ? error.stack : error) };
  }
  process.stdout.write(JSON.stringify(result) + "\n");
});

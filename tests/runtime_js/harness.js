// Parity harness: plays API call sequences through static/js/scorm-runtime.js.
//
//   node harness.js DEFINITIONS.json   (DEFINITIONS: {"1.2": export_json("1.2"), "2004": ...})
//
// Reads one case per stdin line and answers one JSON line per case, so a test module keeps
// one node process for all its cases. A case (see tests/runtime_js/parity.py):
//   {"version", "state", "options": {"policy", "data_maps", "nav_validity": {"request|target":
//    value}, "commit_fails"}, "calls": [["set_value", name, value], ["get_last_error"], ...]}
// The answer: {"results": [[returned, last error], ...], "values", "counts", "changes",
// "relaxations", "load_errors"}, or {"crash": message} if the runtime threw.
"use strict";

const fs = require("fs");
const path = require("path");
const readline = require("readline");

const ScormRuntime = require(path.join(__dirname, "..", "..", "static", "js", "scorm-runtime.js"));
const definitions = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));

const METHODS = {
  initialize: (rt, args) => rt.initialize(...args),
  terminate: (rt, args) => rt.terminate(...args),
  commit: (rt, args) => rt.commit(...args),
  get_value: (rt, args) => rt.getValue(...args),
  set_value: (rt, args) => rt.setValue(...args),
  get_last_error: (rt) => rt.getLastError(),
  get_error_string: (rt, args) => rt.getErrorString(...args),
  get_diagnostic: (rt, args) => rt.getDiagnostic(...args),
  take_changes: (rt) => rt.takeChanges(),
  apply_changes: (rt, args) => rt.applyChanges(...args).map((e) => [e.element, e.value, e.code, e.condition]),
};

function navValidity(table) {
  if (!table) return undefined;
  return (request, target) => {
    const key = target === null ? request : `${request}|${target}`;
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : null;
  };
}

function play(job) {
  const options = job.options || {};
  const runtime = new ScormRuntime(definitions[job.version], job.state || {}, {
    policy: options.policy,
    dataMaps: options.data_maps,
    navValidity: navValidity(options.nav_validity),
    onCommit: options.commit_fails ? () => false : undefined,
  });
  const results = job.calls.map(([method, ...args]) => {
    const returned = METHODS[method](runtime, args);
    return [returned, runtime.getLastError()];
  });
  return {
    results,
    values: runtime.values,
    counts: runtime.counts,
    changes: runtime.takeChanges(),
    relaxations: runtime.relaxations.map((r) => [r.element, r.length, r.limit, r.action, r.policy]),
    load_errors: runtime.loadErrors.map((e) => e.element),
  };
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  let answer;
  try {
    answer = play(JSON.parse(line));
  } catch (error) {
    answer = { crash: String(error && error.stack ? error.stack : error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});

// Commit-queue scenarios for static/js/scorm-api.js against a fake server, fake storage,
// fake beacon and a virtual clock. Prints {scenario: observations} as one JSON object;
// tests/runtime_js/test_queue.py asserts on it.
//
//   node queue_harness.js DEFINITIONS.json   (DEFINITIONS: {"1.2": export_json("1.2"), ...})
"use strict";

const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const STATIC = path.join(__dirname, "..", "..", "static", "js");
const ScormRuntime = require(path.join(STATIC, "scorm-runtime.js"));
const {
  CommitQueue, splitBatch, start, PART_LIMIT, INFLIGHT_LIMIT, DEFLATE_MARKER,
} = require(path.join(STATIC, "scorm-api.js"));
const definitions = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));

// --- values -------------------------------------------------------------------------------

/** A seeded PRNG (mulberry32): the same values on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Suspend data as a course writes it: JSON records with varying numbers, `length` long. */
function realisticSuspendData(length) {
  const next = random(64);
  let text = '{"v":3,"slides":[';
  for (let i = 0; text.length < length; i++) {
    const id = String(i).padStart(4, "0");
    text += `{"id":"slide_${id}","visited":${next() < 0.7},"time":${Math.floor(next() * 90000)},` +
      `"score":${Math.floor(next() * 101)},"answers":[${Math.floor(next() * 4)},${Math.floor(next() * 4)}]},`;
  }
  return text.slice(0, length);
}

/**
 * `length` code units that deflate gains next to nothing on: random characters, ASCII with
 * quotes and backslashes (JSON escapes), 2- and 3-byte UTF-8, and surrogate pairs (which a
 * cut must never separate).
 */
function incompressible(length, seed) {
  const next = random(seed);
  const out = [];
  let units = 0;
  while (units < length) {
    const kind = next();
    let char;
    if (kind < 0.6) char = String.fromCharCode(0x20 + Math.floor(next() * 95));
    else if (kind < 0.75) char = String.fromCharCode(0xa1 + Math.floor(next() * 0x600));
    else if (kind < 0.9) char = String.fromCharCode(0x4e00 + Math.floor(next() * 0x5000));
    else char = String.fromCodePoint(0x1f300 + Math.floor(next() * 0x300));
    if (units + char.length > length) char = "z";
    out.push(char);
    units += char.length;
  }
  return out.join("");
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A request body as the server reads it: JSON text, or the marker and raw DEFLATE. */
function decodeBody(data) {
  if (typeof data === "string") return { body: JSON.parse(data), bytes: Buffer.byteLength(data), compressed: false };
  const bytes = Buffer.from(data);
  const marker = Buffer.from(DEFLATE_MARKER);
  if (!bytes.subarray(0, marker.length).equals(marker)) return { body: JSON.parse(bytes.toString("utf8")), bytes: bytes.length, compressed: false };
  const text = zlib.inflateRawSync(bytes.subarray(marker.length)).toString("utf8");
  return { body: JSON.parse(text), bytes: bytes.length, compressed: true, textBytes: Buffer.byteLength(text) };
}

/** The batch the server applies: parts in order, each ["e", chunk, "+"] appended to the value before. */
function assemble(changes) {
  const out = [];
  for (const change of changes) {
    if (change.length === 3) {
      const previous = out[out.length - 1];
      if (change[2] !== "+" || !previous || previous[0] !== change[0]) throw new Error(`bad continuation ${change[0]}`);
      previous[1] += change[1];
    } else {
      out.push([change[0], change[1]]);
    }
  }
  return out;
}

// --- fakes --------------------------------------------------------------------------------

/** setTimeout/setInterval on virtual time; run() lets promises settle between timers. */
class Clock {
  constructor() {
    this.now = 0;
    this.timers = [];
    this.nextId = 1;
  }
  setTimeout(fn, ms) {
    const id = this.nextId++;
    this.timers.push({ id, at: this.now + ms, fn });
    return id;
  }
  setInterval(fn, ms) {
    const id = this.nextId++;
    const tick = () => {
      fn();
      this.timers.push({ id, at: this.now + ms, fn: tick });
    };
    this.timers.push({ id, at: this.now + ms, fn: tick });
    return id;
  }
  clearTimeout(id) {
    this.timers = this.timers.filter((t) => t.id !== id);
  }
  /** Advance by `ms`, firing due timers in order. */
  async advance(ms) {
    const end = this.now + ms;
    await settle();
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
      await settle();
    }
    this.now = end;
  }
}

async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

class Storage {
  constructor() {
    this.items = new Map();
  }
  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  setItem(key, value) {
    this.items.set(key, String(value));
  }
  removeItem(key) {
    this.items.delete(key);
  }
}

class FakeBlob {
  constructor(parts, options) {
    this.data = parts.length === 1 ? parts[0] : parts.join("");
    this.size = typeof this.data === "string" ? Buffer.byteLength(this.data) : this.data.length;
    this.type = (options && options.type) || "";
  }
}

/** The tracking server of docs/runtime-protocol.md section 3, with knobs to misbehave. */
class Server {
  constructor(clock) {
    this.clock = clock;
    this.mark = 0;
    this.token = "token-1";
    this.applied = []; // [seq, changes] in the order applied
    this.requests = []; // {url, body, keepalive, at}
    this.down = false;
    this.superseded = false;
    this.loseAnswers = 0; // apply, then fail to answer (the network dropped it)
    this.invalidElement = null;
    this.parts = new Map();
    this.forgetFirstPart = false; // lose a stored part once (the last part then gets 202)
    this.tellMissing = true; // a 202 names the missing parts (an older server did not)
    this.closed = false;
    this.renewals = 0;
  }
  fetch(url, init) {
    const { body, bytes, compressed } = decodeBody(init.body);
    const type = init.headers["Content-Type"];
    this.requests.push({ url, body, keepalive: Boolean(init.keepalive), at: this.clock.now, bytes, compressed, type });
    if (this.down) return Promise.reject(new TypeError("network down"));
    const [status, answer] = url.endsWith("/renew") ? this.renew(body) : this.commit(body);
    if (this.loseAnswers > 0 && status === 200 && url.endsWith("/commit")) {
      this.loseAnswers -= 1;
      return Promise.reject(new TypeError("connection reset"));
    }
    return Promise.resolve({ ok: status >= 200 && status < 300, status, json: async () => answer });
  }
  renew(body) {
    if (this.superseded) return [409, { error: "superseded" }];
    if (body.token !== this.token && body.token !== "expired-token") return [401, { error: "expired" }];
    this.renewals += 1;
    this.token = `token-${this.renewals + 1}`;
    return [200, { token: this.token, token_ttl: 100 }];
  }
  commit(body) {
    if (this.superseded) return [409, { error: "superseded" }];
    if (body.token !== this.token) return [401, { error: "expired" }];
    if (body.seq <= this.mark) return [200, { ack: body.seq }];
    if (body.seq > this.mark + 1) return [409, { error: "gap", expected: this.mark + 1 }];
    if (this.closed) return [409, { error: "closed", message: "This attempt's session has ended." }];
    const [index, count] = body.part;
    const parts = this.parts.get(body.seq) || [];
    parts[index - 1] = body.changes;
    if (this.forgetFirstPart && index === count) {
      this.forgetFirstPart = false;
      delete parts[0];
    }
    this.parts.set(body.seq, parts);
    const received = parts.filter(Boolean).length;
    if (received < count) {
      const missing = [];
      for (let i = 1; i <= count; i++) if (!parts[i - 1]) missing.push(i);
      return [202, { ack: null, pending: [received, count], ...(this.tellMissing ? { missing } : {}) }];
    }
    const changes = assemble(parts.flat());
    this.parts.delete(body.seq);
    const bad = changes.find(([name]) => name === this.invalidElement);
    if (bad) return [422, { error: "invalid", element: bad[0], code: "406", message: "type mismatch" }];
    this.mark = body.seq;
    this.applied.push([body.seq, changes, body.final]);
    return [200, { ack: body.seq, status: {} }];
  }
}

function environment(clock, server, storage, beaconBudget) {
  const beacons = [];
  let budget = beaconBudget === undefined ? Infinity : beaconBudget;
  const world = {
    beacons,
    lose: new Set(), // part numbers whose beacons never arrive
    env: {
      fetch: (url, init) => server.fetch(url, init),
      storage,
      sendBeacon: (url, blob) => {
        if (blob.size > budget) return false;
        budget -= blob.size;
        const { body, compressed } = decodeBody(blob.data);
        beacons.push({ url, type: blob.type, body, bytes: blob.size, compressed });
        if (!world.lose.has(body.part[0])) server.commit(body); // delivered; nobody reads the answer
        return true;
      },
      setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
      clearTimeout: (id) => clock.clearTimeout(id),
      setInterval: (fn, ms) => clock.setInterval(fn, ms),
      Blob: FakeBlob,
    },
  };
  return world;
}

const ENDPOINTS = { commit: "/runtime/commit", renew: "/runtime/renew" };

function newQueue(env, options) {
  const statuses = [];
  const queue = new CommitQueue({
    attempt: 17, ackedSeq: 0, token: "token-1", endpoints: ENDPOINTS, storageKey: "scorm-player:attempt:17",
    env, onStatus: (kind) => statuses.push(kind), ...options,
  });
  return { queue, statuses };
}

/** A queue over a fresh fake world; `knobs` set the server's misbehaviour first. */
function setup(knobs, queueOptions, storage) {
  const clock = new Clock();
  const server = Object.assign(new Server(clock), knobs);
  const world = environment(clock, server, storage || new Storage());
  const { queue, statuses } = newQueue(world.env, queueOptions);
  return { clock, server, env: world.env, beacons: world.beacons, queue, statuses };
}

function stored(storage) {
  const saved = JSON.parse(storage.getItem("scorm-player:attempt:17") || "null");
  return saved ? saved.batches.map((b) => b.seq) : [];
}

// --- a fake player page for start() -------------------------------------------------------

class Element {
  constructor(id, attributes) {
    this.id = id;
    this.attributes = { ...attributes };
    this.textContent = "";
    this.hidden = false;
    this.children = [];
  }
  setAttribute(name, value) {
    this.attributes[name] = String(value);
  }
  getAttribute(name) {
    return name in this.attributes ? this.attributes[name] : null;
  }
  insertBefore(child) {
    this.children.unshift(child);
  }
}

function page(version, overrides) {
  const listeners = {};
  const blob = {
    version, definitions: definitions[version], policy: "lenient",
    attempt: { id: 17, acked_seq: 0, item: "item_1", title: "Lesson 1" },
    state: version === "1.2" ? { "cmi.core.student_id": "s1" } : { "cmi.learner_id": "urn:l:1" },
    token: "token-1", token_ttl: 100, endpoints: ENDPOINTS, commit_interval_ms: 30000,
    launch_url: "/content/1/v1/index.html", storage_key: "scorm-player:attempt:17", ...overrides,
  };
  const runtimeBlob = new Element("scorm-runtime");
  runtimeBlob.textContent = JSON.stringify(blob);
  const elements = { "scorm-runtime": runtimeBlob, "save-status": new Element("save-status") };
  const win = { ScormRuntime, addEventListener: (type, fn) => (listeners[type] = fn) };
  const frame = new Element("sco-frame", { "data-launch-url": blob.launch_url });
  let src = null;
  Object.defineProperty(frame, "src", {
    get: () => src,
    set: (value) => {
      src = value;
      frame.apiWhenLoaded = Boolean(win.API || win.API_1484_11);
    },
  });
  elements["sco-frame"] = frame;
  const body = new Element("body");
  const doc = {
    readyState: "complete",
    visibilityState: "visible",
    body,
    getElementById: (id) => elements[id] || body.children.find((c) => c.id === id) || null,
    createElement: () => new Element(""),
    addEventListener: (type, fn) => (listeners[`doc:${type}`] = fn),
  };
  win.document = doc;
  return { win, doc, frame, listeners, elements };
}

// --- scenarios ----------------------------------------------------------------------------

const scenarios = {
  async seq_order() {
    const { clock, server, env, queue, statuses } = setup({});
    queue.enqueue([["cmi.location", "a"]]);
    queue.enqueue([["cmi.location", "b"]]);
    queue.enqueue([["cmi.location", "c"]]);
    await clock.advance(0);
    return { sent: server.requests.map((r) => r.body.seq), applied: server.applied.map(([s]) => s),
             statuses, stored: stored(env.storage), pending: queue.pending.length };
  },

  async idempotent_resend() {
    const { clock, server, env, queue } = setup({ loseAnswers: 1 });
    queue.enqueue([["cmi.location", "a"]]);
    await clock.advance(0);
    const afterLoss = { pending: queue.pending.map((b) => b.seq), stored: stored(env.storage) };
    await clock.advance(1000);
    return { afterLoss, sent: server.requests.map((r) => r.body.seq), applied: server.applied.map(([s]) => s),
             pending: queue.pending.length };
  },

  async backoff() {
    const { clock, server, queue, statuses } = setup({ down: true });
    queue.enqueue([["cmi.location", "a"]]);
    await clock.advance(300000);
    const times = server.requests.map((r) => r.at);
    const delays = times.slice(1).map((t, i) => t - times[i]);
    server.down = false;
    await clock.advance(60000);
    const recovered = statuses[statuses.length - 1];
    server.down = true;
    server.requests = [];
    queue.enqueue([["cmi.location", "b"]]);
    await clock.advance(3500);
    const again = server.requests.map((r) => r.at - server.requests[0].at);
    return {
      delays, recovered, again, applied: server.applied.map(([s]) => s),
      pending: queue.pending.map((b) => b.seq), retrying: statuses.includes("retrying"),
    };
  },

  async restore_after_reload() {
    const clock = new Clock();
    const server = new Server(clock);
    server.down = true;
    const storage = new Storage();
    const first = newQueue(environment(clock, server, storage).env).queue;
    first.enqueue([["cmi.location", "a"]]);
    first.enqueue([["cmi.suspend_data", "s"]]);
    await clock.advance(0);
    const left = stored(storage);
    // The page reloads: a new queue over the same storage; the server is back.
    server.down = false;
    server.requests = [];
    const second = newQueue(environment(clock, server, storage).env).queue;
    const restored = second.restore().map((b) => b.seq);
    second.flush();
    second.enqueue([["cmi.location", "b"]]);
    await clock.advance(0);
    const otherAttempt = newQueue(environment(clock, server, storage).env, { attempt: 18 }).queue;
    return { left, restored, sent: server.requests.map((r) => r.body.seq),
             applied: server.applied.map(([s, c]) => [s, c]), stored: stored(storage),
             otherAttemptRestores: otherAttempt.restore().length };
  },

  async restore_skips_acknowledged() {
    const clock = new Clock();
    const server = new Server(clock);
    const storage = new Storage();
    storage.setItem("scorm-player:attempt:17", JSON.stringify({ attempt: 17, batches: [
      { seq: 3, changes: [["cmi.location", "x"]], final: false },
      { seq: 4, changes: [["cmi.location", "y"]], final: false },
    ] }));
    server.mark = 3;
    const { queue } = newQueue(environment(clock, server, storage).env, { ackedSeq: 3 });
    const restored = queue.restore().map((b) => b.seq);
    const next = queue.enqueue([["cmi.location", "z"]]).seq;
    await clock.advance(0);
    return { restored, next, applied: server.applied.map(([s]) => s) };
  },

  async split_final() {
    const { clock, server, queue } = setup({});
    const changes = [];
    for (let i = 0; i < 150; i++) changes.push([`cmi.interactions.${i}.description`, incompressible(1000, i)]);
    queue.enqueue(changes, true);
    await clock.advance(0);
    return {
      parts: server.requests.map((r) => r.body.part), seqs: server.requests.map((r) => r.body.seq),
      finals: server.requests.map((r) => r.body.final), keepalive: server.requests.map((r) => r.keepalive),
      maxBytes: Math.max(...server.requests.map((r) => r.bytes)), limit: PART_LIMIT,
      continued: server.requests.flatMap((r) => r.body.changes).filter((c) => c.length === 3).length,
      applied: server.applied.map(([s, c, f]) => [s, c.length, f]),
      exact: JSON.stringify(server.applied[0][1]) === JSON.stringify(changes),
      sameSplit: JSON.stringify(splitBatch(changes, 50000)) === JSON.stringify(splitBatch(changes, 50000)),
    };
  },

  async lost_part() {
    const results = {};
    for (const tellMissing of [true, false]) {
      const { clock, server, queue } = setup({ forgetFirstPart: true, tellMissing });
      queue.enqueue([["cmi.suspend_data", incompressible(100000, 3)]], true);
      await clock.advance(0);
      const afterLoss = { parts: server.requests.map((r) => r.body.part), pending: queue.pending.length };
      await clock.advance(1000);
      results[tellMissing ? "missing" : "noMissing"] = {
        afterLoss, parts: server.requests.map((r) => r.body.part),
        applied: server.applied.map(([s, c]) => [s, c.length]), pending: queue.pending.length,
      };
    }
    return results;
  },

  async final_64000_compresses() {
    const { clock, server, env, beacons, queue } = setup({});
    server.down = true; // only beacons get through
    const value = realisticSuspendData(64000);
    queue.leaving = true;
    const started = process.hrtime.bigint();
    queue.enqueue([["cmi.suspend_data", value], ["cmi.exit", "suspend"]], true);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    await clock.advance(0);
    return {
      valueLength: value.length,
      beacons: beacons.map((b) => [b.body.part, b.compressed, b.type, b.bytes]),
      textBytes: Buffer.byteLength(JSON.stringify(value)), ms, limit: PART_LIMIT,
      applied: server.applied.map(([s, c, f]) => [s, c.length, f]),
      exact: server.applied.length === 1 && server.applied[0][1][0][1] === value,
      stored: stored(env.storage),
    };
  },

  async compressed_when_large() {
    const { clock, server, queue } = setup({});
    queue.enqueue([["cmi.suspend_data", realisticSuspendData(10000)]]);
    queue.enqueue([["cmi.suspend_data", realisticSuspendData(20000)]]);
    queue.enqueue([["cmi.suspend_data", incompressible(20000, 9).replace(/[^ -~]/g, "q")]]);
    await clock.advance(0);
    return {
      requests: server.requests.map((r) => [r.body.seq, r.compressed, r.type, r.keepalive]),
      sizes: server.requests.map((r) => r.bytes),
      applied: server.applied.map(([s, c]) => [s, c[0][1].length]),
    };
  },

  async split_by_value() {
    const { clock, server, queue } = setup({});
    const value = incompressible(200000, 7);
    queue.enqueue([["cmi.location", "p1"], ["cmi.suspend_data", value], ["cmi.exit", "suspend"]], true);
    await clock.advance(0);
    const chunks = server.requests.flatMap((r) => r.body.changes).filter((c) => c[0] === "cmi.suspend_data");
    return {
      parts: server.requests.map((r) => r.body.part),
      bytes: server.requests.map((r) => r.bytes), limit: PART_LIMIT,
      markers: chunks.map((c) => c[2] || null),
      loneSurrogates: chunks.filter((c) => LONE_SURROGATE.test(c[1])).length,
      applied: server.applied.map(([s, c, f]) => [s, c.map(([name]) => name), f]),
      exact: server.applied[0][1][1][1] === value,
    };
  },

  async parts_beyond_budget_wait_for_next_load() {
    const clock = new Clock();
    const server = new Server(clock);
    server.down = true; // the page is going: only beacons get through
    const storage = new Storage();
    const first = environment(clock, server, storage);
    const value = incompressible(200000, 11);
    const leaving = newQueue(first.env).queue;
    leaving.leaving = true;
    leaving.enqueue([["cmi.suspend_data", value], ["cmi.exit", "suspend"]], true);
    const beaconed = first.beacons.map((b) => b.body.part);
    const beaconBytes = first.beacons.reduce((sum, b) => sum + b.bytes, 0);
    const saved = JSON.parse(storage.getItem("scorm-player:attempt:17"));
    const serverBefore = { parts: [...server.parts.get(1).keys()].filter((k) => server.parts.get(1)[k]).map((k) => k + 1),
                           applied: server.applied.length };
    // The next load of the attempt, with a renewed token: the rest, and only the rest.
    server.down = false;
    server.token = "token-2";
    const next = newQueue(environment(clock, server, storage).env, { token: "token-2" }).queue;
    next.restore();
    next.flush();
    await clock.advance(0);
    return {
      beaconed, beaconBytes, inflightLimit: INFLIGHT_LIMIT,
      saved: { seqs: saved.batches.map((b) => b.seq), cuts: saved.batches[0].cuts.length,
               beaconed: saved.batches[0].beaconed },
      serverBefore, sentNext: server.requests.map((r) => r.body.part),
      applied: server.applied.map(([s, c, f]) => [s, c.map(([name]) => name), f]),
      exact: server.applied.length === 1 && server.applied[0][1][0][1] === value,
      stored: stored(storage),
    };
  },

  async lost_beacon_is_resent_on_next_load() {
    const clock = new Clock();
    const server = new Server(clock);
    server.down = true;
    const storage = new Storage();
    const first = environment(clock, server, storage);
    first.lose.add(1); // part 1 was handed to the browser but never arrived
    const value = incompressible(120000, 13);
    const leaving = newQueue(first.env).queue;
    leaving.leaving = true;
    leaving.enqueue([["cmi.suspend_data", value]], true);
    const beaconed = first.beacons.map((b) => b.body.part);
    server.down = false;
    const next = newQueue(environment(clock, server, storage).env).queue;
    next.restore();
    next.flush();
    await clock.advance(0);
    return {
      beaconed, sentNext: server.requests.map((r) => r.body.part),
      exact: server.applied.length === 1 && server.applied[0][1][0][1] === value,
      stored: stored(storage),
    };
  },

  async closed() {
    const { clock, server, queue, statuses } = setup({ closed: true });
    queue.enqueue([["cmi.location", "a"]]);
    await clock.advance(60000);
    return { statuses, stopped: queue.stopped, requests: server.requests.length };
  },

  async superseded() {
    const clock = new Clock();
    const server = new Server(clock);
    const storage = new Storage();
    const { env } = environment(clock, server, storage);
    const { queue, statuses } = newQueue(env);
    queue.enqueue([["cmi.location", "a"]]);
    await clock.advance(0);
    server.superseded = true;
    queue.enqueue([["cmi.location", "b"]]);
    await clock.advance(0);
    const storedAtStop = storage.getItem("scorm-player:attempt:17");
    storage.setItem("scorm-player:attempt:17", "the newer window's");
    const requests = server.requests.length;
    const later = queue.enqueue([["cmi.location", "c"]]);
    await clock.advance(120000);
    return {
      statuses, stopped: queue.stopped, requestsBefore: requests, requestsAfter: server.requests.length,
      later, storageKept: storage.getItem("scorm-player:attempt:17"), storedAtStop: storedAtStop !== null,
    };
  },

  async renew_on_401() {
    const { clock, server, queue } =
      setup({ token: "expired-token-replaced" }, { token: "expired-token" });
    queue.enqueue([["cmi.location", "a"]]);
    await clock.advance(0);
    return {
      calls: server.requests.map((r) => [r.url, r.body.token]), applied: server.applied.map(([s]) => s),
      token: queue.token, pending: queue.pending.length,
    };
  },

  async gap() {
    const clock = new Clock();
    const server = new Server(clock);
    server.mark = 5;
    const storage = new Storage();
    storage.setItem("scorm-player:attempt:17", JSON.stringify({ attempt: 17, batches: [
      { seq: 8, changes: [["cmi.location", "x"]], final: false },
      { seq: 9, changes: [["cmi.location", "y"]], final: false },
    ] }));
    const { queue } = newQueue(environment(clock, server, storage).env, { ackedSeq: 5 });
    queue.restore();
    queue.flush();
    await clock.advance(0);
    return { sent: server.requests.map((r) => r.body.seq), applied: server.applied.map(([s, c]) => [s, c]),
             lastSeq: queue.lastSeq };
  },

  async invalid_422() {
    const { clock, server, queue, statuses } = setup({ invalidElement: "cmi.bad" });
    queue.enqueue([["cmi.location", "a"]]);
    queue.enqueue([["cmi.bad", "x"]]);
    queue.enqueue([["cmi.location", "c"]]);
    await clock.advance(0);
    return { statuses, sent: server.requests.map((r) => r.body.seq),
             applied: server.applied.map(([s, c]) => [s, c]), pending: queue.pending.length };
  },

  async page_installs_api_before_the_sco_loads() {
    const results = {};
    for (const version of ["1.2", "2004"]) {
      const clock = new Clock();
      const server = new Server(clock);
      const { env } = environment(clock, server, new Storage());
      const { win, frame, elements } = page(version);
      start(win, env);
      const apiObject = win.API || win.API_1484_11;
      results[version] = {
        api: Object.keys(apiObject).sort(), version: apiObject.version || null, src: frame.src,
        apiWhenLoaded: frame.apiWhenLoaded, live: elements["save-status"].attributes["aria-live"],
        player: Object.keys(win.scormPlayer).sort(),
      };
    }
    return results;
  },

  async page_commits() {
    const clock = new Clock();
    const server = new Server(clock);
    const { env } = environment(clock, server, new Storage());
    const { win, elements } = page("2004");
    start(win, env);
    const sco = win.API_1484_11;
    const status = () => elements["save-status"].textContent;
    const seen = [];
    sco.Initialize("");
    sco.SetValue("cmi.location", "p1");
    sco.Commit("");
    seen.push(status());
    await clock.advance(0);
    seen.push(status());
    sco.SetValue("cmi.location", "p2"); // no Commit: the interval sends it
    await clock.advance(30000);
    server.down = true;
    sco.SetValue("cmi.location", "p3");
    sco.Commit("");
    await clock.advance(0);
    seen.push(status());
    server.down = false;
    sco.SetValue("cmi.score.raw", "10");
    await win.scormPlayer.flush();
    seen.push(status());
    sco.Terminate("");
    await clock.advance(0);
    return { seen, applied: server.applied.map(([s, c, f]) => [s, c, f]),
             final: server.requests.filter((r) => r.body.final).map((r) => r.keepalive) };
  },

  async page_shows_why_saving_stopped() {
    const results = {};
    for (const trouble of ["superseded", "invalid"]) {
      const clock = new Clock();
      const server = new Server(clock);
      server.superseded = trouble === "superseded";
      server.invalidElement = "cmi.location";
      const { env } = environment(clock, server, new Storage());
      const { win, doc, elements } = page("2004");
      start(win, env);
      win.API_1484_11.Initialize("");
      win.API_1484_11.SetValue(trouble === "invalid" ? "cmi.location" : "cmi.suspend_data", "x");
      const committed = win.API_1484_11.Commit("");
      await clock.advance(0);
      const alert = doc.getElementById("player-message");
      results[trouble] = {
        committed, status: elements["save-status"].textContent, alert: alert && alert.textContent,
        role: alert && alert.getAttribute("role"), hidden: alert && alert.hidden,
        commitAfter: win.API_1484_11.Commit(""), error: win.API_1484_11.GetLastError(),
      };
    }
    return results;
  },

  async page_renews_token_at_half_ttl() {
    const clock = new Clock();
    const server = new Server(clock);
    const { env } = environment(clock, server, new Storage());
    const { win } = page("1.2");
    start(win, env);
    await clock.advance(49000);
    const before = server.renewals;
    await clock.advance(1000);
    const after = server.renewals;
    win.API.LMSInitialize("");
    win.API.LMSSetValue("cmi.core.lesson_location", "x");
    win.API.LMSCommit("");
    await clock.advance(0);
    const commit = server.requests.find((r) => r.url.endsWith("/commit"));
    await clock.advance(50000);
    return { before, after, commitToken: commit.body.token, renewalsLater: server.renewals };
  },

  async page_beacons_on_pagehide() {
    const clock = new Clock();
    const server = new Server(clock);
    server.down = true; // no fetch gets through: only beacons
    const { env, beacons } = environment(clock, server, new Storage(), 1000);
    const { win, listeners } = page("2004");
    start(win, env);
    const sco = win.API_1484_11;
    sco.Initialize("");
    sco.SetValue("cmi.location", "p9");
    listeners.pagehide();
    sco.SetValue("cmi.suspend_data", "y".repeat(2000)); // the SCO's unload handler
    sco.Terminate("");
    return { beacons: beacons.map((b) => [b.body.seq, b.type, b.body.changes, b.body.final]),
             stored: stored(env.storage), mark: server.mark };
  },

  async page_reload_resends_first_and_resumes() {
    const clock = new Clock();
    const server = new Server(clock);
    server.down = true;
    const storage = new Storage();
    const first = page("2004");
    start(first.win, environment(clock, server, storage).env);
    first.win.API_1484_11.Initialize("");
    first.win.API_1484_11.SetValue("cmi.location", "unsent");
    first.win.API_1484_11.Commit("");
    await clock.advance(0);
    server.down = false;
    server.requests = [];
    const second = page("2004");
    start(second.win, environment(clock, server, storage).env);
    const sco = second.win.API_1484_11;
    sco.Initialize("");
    const location = sco.GetValue("cmi.location");
    sco.SetValue("cmi.location", "next");
    sco.Commit("");
    await clock.advance(0);
    return { location, sent: server.requests.map((r) => [r.body.seq, r.body.changes]),
             stored: stored(storage) };
  },
};

(async () => {
  const results = {};
  for (const [name, scenario] of Object.entries(scenarios)) {
    try {
      results[name] = await scenario();
    } catch (error) {
      results[name] = { crash: String(error && error.stack ? error.stack : error) };
    }
  }
  process.stdout.write(JSON.stringify(results));
})();

/*
 * scorm-api.js: the player page's glue around scorm-runtime.js (docs/runtime-protocol.md).
 *
 * - Reads the `#scorm-runtime` JSON blob, builds the ScormRuntime over the attempt's state
 *   and installs `window.API` (SCORM 1.2 RTE 3.3) or `window.API_1484_11` (2004 RTE 3.1) on
 *   this window, where the SCO's discovery walk up from `#sco-frame` finds it; only then
 *   does the frame get its `src` (the API must exist before the SCO loads, rte-api.md 5).
 * - Commits (protocol section 3): each batch of changes gets the attempt's next `seq`, is
 *   kept in memory and in localStorage until the server acknowledges it, and is sent oldest
 *   first, retried with exponential backoff. Batches left from an earlier load of the same
 *   attempt go first. On pagehide the page beacons what it holds; the server acknowledges a
 *   repeated seq without applying it again, so sending twice is harmless.
 * - A discreet save status in `#save-status`, and a banner when saving stops for good.
 *
 * In node, `module.exports` gives the pieces (CommitQueue, splitBatch, start) for tests.
 */
(function (root, factory) {
  "use strict";
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (root && root.document) api.startWhenReady(root);
})(typeof window !== "undefined" ? window : null, function () {
  "use strict";

  const PART_LIMIT = 60 * 1024; // bytes; sendBeacon / keepalive bodies must stay under 64 KiB
  const ENVELOPE_RESERVE = 2 * 1024; // token, attempt, seq, final, part around the changes
  const FIRST_RETRY_MS = 1000;
  const LAST_RETRY_MS = 60 * 1000;
  const API_VERSION_2004 = "1.0"; // API_1484_11.version (IEEE 1484.11.2)
  const MESSAGES = {
    saving: "Saving…",
    saved: "All changes saved",
    retrying: "Not saved — retrying",
    superseded: "This course was opened in another window; this window no longer saves.",
    closed: "This session has ended; this window no longer saves.",
    rejected: "A change could not be saved and was dropped",
  };
  // Refusals that no resend can cure: the page stops saving and says why.
  const FINAL_REFUSALS = { superseded: "superseded", closed: "closed", forbidden: "closed" };

  const encoder = new TextEncoder();
  const byteLength = (text) => encoder.encode(text).length; // what the request body weighs

  // --- batches and parts ------------------------------------------------------------------

  /**
   * The changes of a batch in parts whose bodies each stay under PART_LIMIT (protocol 3,
   * `part: [i, n]`, same seq). Deterministic, so every resend splits a batch the same way.
   * A single change larger than a part gets a part of its own (over the limit: it cannot
   * travel by beacon, only by a plain fetch).
   */
  function splitBatch(changes, limit) {
    const budget = (limit || PART_LIMIT) - ENVELOPE_RESERVE;
    const parts = [[]];
    let size = 0;
    for (const change of changes) {
      const bytes = byteLength(JSON.stringify(change)) + 1;
      const current = parts[parts.length - 1];
      if (current.length && size + bytes > budget) {
        parts.push([change]);
        size = bytes;
      } else {
        current.push(change);
        size += bytes;
      }
    }
    return parts;
  }

  // --- the commit queue -------------------------------------------------------------------

  /**
   * Unacknowledged batches, sent one request at a time, oldest first.
   *
   * @param options {attempt, ackedSeq, token, endpoints: {commit, renew}, storageKey,
   *   env: {fetch, storage, sendBeacon, setTimeout, clearTimeout, Blob}, onStatus(kind, detail)}
   */
  class CommitQueue {
    constructor(options) {
      this.attempt = options.attempt;
      this.token = options.token;
      this.endpoints = options.endpoints;
      this.storageKey = options.storageKey;
      this.env = options.env;
      this.onStatus = options.onStatus || (() => {});
      this.partLimit = options.partLimit || PART_LIMIT;
      this.pending = [];
      this.lastSeq = options.ackedSeq || 0;
      this.stopped = false;
      this.leaving = false; // after pagehide: send by beacon, the page is going away
      this._beaconed = new Set(); // batches already beaconed whole (the budget is small)
      this._retryDelay = FIRST_RETRY_MS;
      this._retryTimer = null;
      this._draining = null;
    }

    /** Take back what an earlier load of this attempt left unsent; returns those batches. */
    restore() {
      let saved = null;
      try {
        saved = JSON.parse(this.env.storage.getItem(this.storageKey) || "null");
      } catch (error) {
        saved = null; // unreadable: nothing to restore
      }
      if (!saved || saved.attempt !== this.attempt || !Array.isArray(saved.batches)) return [];
      const acked = this.lastSeq;
      this.pending = saved.batches.filter((b) => b.seq > acked).sort((a, b) => a.seq - b.seq);
      for (const batch of this.pending) this.lastSeq = Math.max(this.lastSeq, batch.seq);
      this._persist();
      return this.pending.slice();
    }

    /** Queue a batch with the next seq (kept until acknowledged) and start sending it. */
    enqueue(changes, final) {
      if (this.stopped) return null;
      const batch = { seq: ++this.lastSeq, changes, final: Boolean(final) };
      this.pending.push(batch);
      this._persist();
      this.onStatus("saving");
      if (this.leaving) this.beacon();
      else if (final) this.flush();
      else if (!this._retryTimer) this._kick();
      return batch;
    }

    /**
     * Send everything now (backoff or not); resolves true once all is acknowledged, false
     * when a send failed (a retry is then scheduled) or saving stopped.
     */
    flush() {
      this._cancelRetry();
      this._beaconed.clear();
      return this._kick() || Promise.resolve(!this.stopped && this.pending.length === 0);
    }

    /**
     * Hand the pending parts not beaconed yet to navigator.sendBeacon (the page is going
     * away). Stops at the first part the browser refuses (its budget is about 64 KiB in
     * all) or that is too big for a beacon; what is left stays in storage for the next
     * load. Returns how many parts went out.
     */
    beacon() {
      if (this.stopped || !this.env.sendBeacon) return 0;
      let sent = 0;
      for (const batch of this.pending) {
        if (this._beaconed.has(batch)) continue;
        for (const body of this._bodies(batch)) {
          const text = JSON.stringify(body);
          if (byteLength(text) >= this.partLimit) return sent;
          const blob = new this.env.Blob([text], { type: "text/plain;charset=UTF-8" });
          if (!this.env.sendBeacon(this.endpoints.commit, blob)) return sent;
          sent += 1;
        }
        this._beaconed.add(batch);
      }
      return sent;
    }

    /** Stop for good (a newer window owns the attempt): no more requests, no more writes. */
    stop() {
      this.stopped = true;
      this._cancelRetry();
    }

    // --- sending ------------------------------------------------------------------------

    _bodies(batch) {
      const parts = splitBatch(batch.changes, this.partLimit);
      return parts.map((changes, i) => ({
        token: this.token, attempt: this.attempt, seq: batch.seq, changes,
        final: batch.final, part: [i + 1, parts.length],
      }));
    }

    _kick() {
      if (this.stopped) return null;
      if (!this._draining) {
        this._draining = this._drain().finally(() => {
          this._draining = null;
        });
      }
      return this._draining;
    }

    /**
     * Send batches until none is left, a retry is due, or saving stopped. The status says
     * "saved" at the end unless a batch was dropped on the way (its message stays).
     */
    async _drain() {
      let dropped = false;
      while (this.pending.length && !this.stopped) {
        const next = await this._sendFirst();
        if (next === "retry") {
          this._scheduleRetry();
          return false;
        }
        dropped = dropped || next === "dropped";
      }
      if (this.stopped) return false;
      this._retryDelay = FIRST_RETRY_MS;
      if (!dropped) this.onStatus("saved");
      return !dropped;
    }

    /** One batch (all its parts, in order); returns "next", "dropped" or "retry". */
    async _sendFirst() {
      const batch = this.pending[0];
      let answer = null;
      for (const body of this._bodies(batch)) {
        answer = await this._post(this.endpoints.commit, body, batch.final);
        if (!answer.ok) break;
      }
      return this._handle(batch, answer);
    }

    /** POST JSON; never rejects: {ok, status, body} (status 0: no answer). */
    async _post(url, body, keepalive) {
      const text = JSON.stringify(body);
      const init = { method: "POST", headers: { "Content-Type": "application/json" }, body: text };
      // keepalive lets a final batch outlive the page, but only under the 64 KiB budget.
      if (keepalive && byteLength(text) < this.partLimit) init.keepalive = true;
      try {
        const response = await this.env.fetch(url, init);
        let parsed = {};
        try {
          parsed = (await response.json()) || {};
        } catch (error) {
          parsed = {};
        }
        return { ok: response.ok, status: response.status, body: parsed };
      } catch (error) {
        return { ok: false, status: 0, body: {} };
      }
    }

    /** What the server's answer to a batch means for the queue (protocol 3, Answers). */
    async _handle(batch, answer) {
      const error = answer.body.error;
      if (answer.ok) {
        // 202 {ack: null}: the server still misses a part of this batch; send it again.
        if (answer.body.ack === null) return "retry";
        const ack = typeof answer.body.ack === "number" ? answer.body.ack : batch.seq;
        this.pending = this.pending.filter((b) => b.seq > ack && b !== batch);
        this._persist();
        return "next";
      }
      if (answer.status === 401) return (await this.renew()) ? "next" : "retry";
      if (Object.prototype.hasOwnProperty.call(FINAL_REFUSALS, error)) {
        this._stopFor(FINAL_REFUSALS[error]);
        return "next";
      }
      if (answer.status === 409 && error === "gap" && typeof answer.body.expected === "number") {
        return this._renumber(answer.body.expected) ? "next" : "retry";
      }
      if (answer.status === 422) {
        // The server stored nothing of this batch: drop it, the rest moves up one seq.
        this.pending = this.pending.filter((b) => b !== batch);
        this._renumber(batch.seq);
        this.onStatus("rejected", answer.body);
        return "dropped";
      }
      return "retry";
    }

    /**
     * Number the pending batches from `first`, the seq the server expects next (a batch
     * below it was applied already). Returns whether anything changed.
     */
    _renumber(first) {
      const before = this.pending.map((b) => b.seq).join();
      this.pending = this.pending.filter((b) => b.seq >= first);
      this.pending.forEach((batch, i) => {
        batch.seq = first + i;
      });
      this._beaconed.clear(); // what went by beacon carried the old numbers
      this.lastSeq = this.pending.length ? first + this.pending.length - 1 : first - 1;
      this._persist();
      return this.pending.map((b) => b.seq).join() !== before;
    }

    _scheduleRetry() {
      this.onStatus("retrying");
      this._cancelRetry();
      this._retryTimer = this.env.setTimeout(() => {
        this._retryTimer = null;
        this._kick();
      }, this._retryDelay);
      this._retryDelay = Math.min(this._retryDelay * 2, LAST_RETRY_MS);
    }

    _cancelRetry() {
      if (this._retryTimer) this.env.clearTimeout(this._retryTimer);
      this._retryTimer = null;
    }

    _stopFor(reason) {
      this.stop();
      this.onStatus(reason);
    }

    // --- the runtime token --------------------------------------------------------------

    /** POST endpoints.renew: a fresh token; false if none came back. */
    async renew() {
      if (this.stopped) return false;
      const answer = await this._post(this.endpoints.renew, { token: this.token }, false);
      if (answer.ok && typeof answer.body.token === "string") {
        this.token = answer.body.token;
        if (typeof answer.body.token_ttl === "number") this.tokenTtl = answer.body.token_ttl;
        return true;
      }
      if (answer.body.error === "superseded") this._stopFor("superseded");
      return false;
    }

    // --- storage ------------------------------------------------------------------------

    _persist() {
      if (this.stopped) return;
      try {
        if (this.pending.length) {
          const saved = { attempt: this.attempt, batches: this.pending };
          this.env.storage.setItem(this.storageKey, JSON.stringify(saved));
        } else {
          this.env.storage.removeItem(this.storageKey);
        }
      } catch (error) {
        // Storage full or disabled: the batches are still in memory and still sent.
      }
    }
  }

  // --- the page ---------------------------------------------------------------------------

  /** The SCO-facing object: the standard method names over the runtime; never throws. */
  function scormApi(runtime, version) {
    const guard = (method, failed) => (...args) => {
      try {
        const result = method(...args);
        return typeof result === "string" ? result : failed;
      } catch (error) {
        return failed;
      }
    };
    const methods = {
      Initialize: guard((p) => runtime.initialize(p), "false"),
      Terminate: guard((p) => runtime.terminate(p), "false"),
      GetValue: guard((e) => runtime.getValue(e), ""),
      SetValue: guard((e, v) => runtime.setValue(e, v), "false"),
      Commit: guard((p) => runtime.commit(p), "false"),
      GetLastError: guard(() => runtime.getLastError(), "0"),
      GetErrorString: guard((c) => runtime.getErrorString(c), ""),
      GetDiagnostic: guard((c) => runtime.getDiagnostic(c), ""),
    };
    if (version !== "1.2") return { ...methods, version: API_VERSION_2004 };
    return {
      LMSInitialize: methods.Initialize,
      LMSFinish: methods.Terminate,
      LMSGetValue: methods.GetValue,
      LMSSetValue: methods.SetValue,
      LMSCommit: methods.Commit,
      LMSGetLastError: methods.GetLastError,
      LMSGetErrorString: methods.GetErrorString,
      LMSGetDiagnostic: methods.GetDiagnostic,
    };
  }

  /**
   * `#save-status` (a polite live region) for the save state, and the page's alert,
   * `#player-message` (made if the page has none), when something was lost or saving stopped.
   */
  function statusDisplay(doc) {
    const status = doc.getElementById("save-status");
    if (status) {
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
    }
    const alert = (message) => {
      let element = doc.getElementById("player-message");
      if (!element) {
        element = doc.createElement("div");
        element.id = "player-message";
        element.setAttribute("role", "alert");
        doc.body.insertBefore(element, doc.body.firstChild);
      }
      element.hidden = false;
      element.textContent = message;
    };
    return (kind, detail) => {
      let message = MESSAGES[kind];
      if (kind === "rejected" && detail && detail.element) {
        message = `${message} (${detail.element}: ${detail.message || detail.code}).`;
      }
      if (status) status.textContent = message;
      if (kind === "superseded" || kind === "closed" || kind === "rejected") alert(message);
    };
  }

  function environment(win, overrides) {
    const nav = win.navigator;
    return {
      fetch: (...args) => win.fetch(...args),
      storage: win.localStorage,
      sendBeacon: nav && nav.sendBeacon ? (url, data) => nav.sendBeacon(url, data) : null,
      setTimeout: (fn, ms) => win.setTimeout(fn, ms),
      clearTimeout: (id) => win.clearTimeout(id),
      setInterval: (fn, ms) => win.setInterval(fn, ms),
      Blob: win.Blob,
      ...overrides,
    };
  }

  /**
   * Set up the page: runtime, queue, API, timers, listeners, then the SCO frame.
   * `overrides` replaces parts of the environment (tests).
   */
  function start(win, overrides) {
    const doc = win.document;
    const config = JSON.parse(doc.getElementById("scorm-runtime").textContent);
    const env = environment(win, overrides);
    const queue = new CommitQueue({
      attempt: config.attempt.id, ackedSeq: config.attempt.acked_seq, token: config.token,
      endpoints: config.endpoints, storageKey: config.storage_key, env,
      onStatus: statusDisplay(doc),
    });
    queue.tokenTtl = config.token_ttl;
    const unsent = queue.restore();

    let runtime = null;
    const commitChanges = (final) => {
      const changes = runtime.takeChanges();
      if (changes.length || final) queue.enqueue(changes, final);
      return !queue.stopped;
    };
    runtime = new win.ScormRuntime(config.definitions, config.state || {}, {
      policy: config.policy,
      dataMaps: config.data_maps,
      onCommit: () => commitChanges(false),
      onTerminate: () => commitChanges(true),
    });
    // The SCO resumes from its latest data: what the server has not acknowledged yet is
    // replayed over the launch state (and still sent first).
    for (const batch of unsent) runtime.applyChanges(batch.changes);

    win[config.version === "1.2" ? "API" : "API_1484_11"] = scormApi(runtime, config.version);
    const flush = () => {
      if (runtime.phase === "running" && runtime.hasChanges()) commitChanges(false);
      return queue.flush();
    };
    win.scormPlayer = Object.assign(win.scormPlayer || {}, { runtime, queue, flush });

    if (queue.pending.length) queue.flush();
    env.setInterval(() => {
      const due = runtime.phase === "running" && runtime.hasChanges() && !queue.stopped;
      if (due) commitChanges(false);
    }, config.commit_interval_ms || 30000);
    scheduleRenewal(queue, env, () => runtime.phase === "terminated" && !queue.pending.length);
    listenForLeaving(win, doc, queue, runtime, commitChanges);

    const frame = doc.getElementById("sco-frame");
    const launchUrl = config.launch_url || (frame && frame.getAttribute("data-launch-url"));
    if (frame && launchUrl) frame.src = launchUrl;
    return win.scormPlayer;
  }

  /**
   * Renew the runtime token at half its time to live (protocol 3), retrying on failure,
   * until saving stops or the session is over (`done()`).
   */
  function scheduleRenewal(queue, env, done) {
    let retry = FIRST_RETRY_MS;
    const plan = (ms) => env.setTimeout(async () => {
      if (queue.stopped || done()) return;
      if (await queue.renew()) {
        retry = FIRST_RETRY_MS;
        plan((queue.tokenTtl * 1000) / 2);
      } else if (!queue.stopped) {
        plan(retry);
        retry = Math.min(retry * 2, LAST_RETRY_MS);
      }
    }, ms);
    if (queue.tokenTtl) plan((queue.tokenTtl * 1000) / 2);
  }

  /**
   * pagehide / visibilitychange hidden: the page may never run again, so what changed goes
   * into a batch and everything pending goes by beacon. After pagehide every new batch
   * (say the final one the SCO's own unload handler makes) goes by beacon too. Whatever
   * arrives twice is acknowledged without being applied again.
   */
  function listenForLeaving(win, doc, queue, runtime, commitChanges) {
    const leave = (unloading) => {
      if (queue.stopped) return;
      if (unloading) queue.leaving = true;
      const changed = runtime.phase === "running" && runtime.hasChanges();
      if (changed) commitChanges(false); // while leaving, enqueue beacons everything
      if (!changed || !queue.leaving) queue.beacon();
    };
    win.addEventListener("pagehide", () => leave(true));
    win.addEventListener("pageshow", () => {
      queue.leaving = false;
      if (queue.pending.length) queue.flush();
    });
    doc.addEventListener("visibilitychange", () => {
      if (doc.visibilityState === "hidden") leave(false);
      else if (queue.pending.length) queue.flush();
    });
  }

  /** Start once the blob is in the document (script at the end of body, or deferred). */
  function startWhenReady(win) {
    const run = () => {
      if (!win.document.getElementById("scorm-runtime")) return;
      try {
        start(win);
      } catch (error) {
        if (win.console) win.console.error("scorm-player: the API adapter did not start", error);
      }
    };
    if (win.document.readyState !== "loading") run();
    else win.document.addEventListener("DOMContentLoaded", run);
  }

  return { CommitQueue, splitBatch, scormApi, start, startWhenReady, PART_LIMIT, MESSAGES };
});

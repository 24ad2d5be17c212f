/*
 * scorm.js: the run-time wrapper of the scorm-player demo course.
 *
 * One SCO page opens one session with Scorm.start(). The wrapper
 *   - finds the LMS's API object: SCORM 2004 `API_1484_11` first, then SCORM 1.2 `API`, each
 *     by the standard walk (this window and up to 7 parents, then the opener and its parents);
 *   - speaks SCORM 2004 to the SCO and translates the few elements the course uses when only a
 *     SCORM 1.2 API exists (elements with no 1.2 counterpart are skipped);
 *   - reports cmi.session_time and calls Terminate once, either when the SCO asks or when the
 *     page goes away (pagehide / beforeunload);
 *   - keeps working without an LMS: reads return "", writes go nowhere, and the page shows a
 *     small "No LMS connection" notice;
 *   - records every call it makes, so a page can show what it reports (see course.js).
 */
(function (global) {
  "use strict";

  var MAX_PARENT_HOPS = 7;
  var NO_LMS_TEXT = "No LMS connection \u2014 progress will not be saved.";

  // --- Time formats --------------------------------------------------------------------

  /** An ISO 8601 duration for SCORM 2004 (timeinterval), e.g. PT1M5.25S, from milliseconds. */
  function isoDuration(ms) {
    var cs = Math.max(0, Math.round(ms / 10)); // centiseconds: SCORM keeps 0.01 s
    var hours = Math.floor(cs / 360000);
    var minutes = Math.floor((cs % 360000) / 6000);
    var seconds = (cs % 6000) / 100;
    var text = "PT";
    if (hours) text += hours + "H";
    if (minutes) text += minutes + "M";
    if (seconds || text === "PT") text += seconds + "S"; // 5.25, 5.5 or 5: never an exponent
    return text;
  }

  /** Milliseconds in an ISO 8601 duration made of days, hours, minutes and seconds. */
  function parseIsoDuration(text) {
    var m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
    if (!m) return 0;
    return (((+(m[1] || 0) * 24 + +(m[2] || 0)) * 60 + +(m[3] || 0)) * 60 + +(m[4] || 0)) * 1000;
  }

  /** A SCORM 1.2 CMITimespan, HHHH:MM:SS.SS, from milliseconds. */
  function timespan12(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var hours = Math.min(9999, Math.floor(cs / 360000));
    var minutes = Math.floor((cs % 360000) / 6000);
    var seconds = ((cs % 6000) / 100).toFixed(2);
    return pad(hours, 4) + ":" + pad(minutes, 2) + ":" + (seconds.length < 5 ? "0" : "") + seconds;
  }

  function pad(n, width) {
    var text = String(n);
    while (text.length < width) text = "0" + text;
    return text;
  }

  /** A SCORM 2004 timestamp (time(second,10,0)), e.g. 2026-11-25T09:21:06.5Z, in UTC. */
  function timestamp(date) {
    return (date || new Date()).toISOString(); // YYYY-MM-DDThh:mm:ss.sssZ
  }

  // --- API discovery (RTE 3.1.5; scorm.com "SCORM API Discovery Algorithms") ------------

  /** win[name] if it is there and readable; a cross-origin window throws, which means "no". */
  function lookIn(win, name) {
    try {
      return win && win[name] ? win[name] : null;
    } catch (e) {
      return null;
    }
  }

  function parentOf(win) {
    try {
      return win.parent && win.parent !== win ? win.parent : null;
    } catch (e) {
      return null;
    }
  }

  /** Look in `win`, then up its parent chain, at most MAX_PARENT_HOPS windows up. */
  function walkParents(win, name) {
    for (var hops = 0; win; hops++) {
      var api = lookIn(win, name);
      if (api) return api;
      if (hops >= MAX_PARENT_HOPS) return null;
      win = parentOf(win);
    }
    return null;
  }

  /** The windows that opened this one (a pop-up launch): window.opener, then top.opener. */
  function openers(win) {
    var found = [];
    try {
      if (win.opener) found.push(win.opener);
    } catch (e) { /* cross-origin opener */ }
    try {
      var topOpener = win.top && win.top.opener;
      if (topOpener && found.indexOf(topOpener) < 0) found.push(topOpener);
    } catch (e) { /* cross-origin top */ }
    return found;
  }

  function findApi(win, name, method) {
    var starts = [win].concat(openers(win));
    for (var i = 0; i < starts.length; i++) {
      var api = walkParents(starts[i], name);
      if (api && typeof api[method] === "function") return api;
    }
    return null;
  }

  /** { version: "2004" | "1.2", api } for the nearest LMS, or null when there is none. */
  function discover(win) {
    var api = findApi(win, "API_1484_11", "Initialize");
    if (api) return { version: "2004", api: api };
    api = findApi(win, "API", "LMSInitialize");
    if (api) return { version: "1.2", api: api };
    return null;
  }

  // --- Adapters: one SCORM 2004 face over either API ------------------------------------

  function str(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  /** SCORM 2004: calls go straight through. */
  function adapter2004(api) {
    return {
      initialize: function () { return str(api.Initialize("")) === "true"; },
      terminate: function () { return str(api.Terminate("")) === "true"; },
      commit: function () { return str(api.Commit("")) === "true"; },
      getValue: function (el) { return { value: str(api.GetValue(el)) }; },
      setValue: function (el, v) { return { ok: str(api.SetValue(el, v)) === "true" }; },
      lastError: function () { return str(api.GetLastError()); },
      errorString: function (code) { return str(api.GetErrorString(code)); }
    };
  }

  var SKIPPED = { skipped: true };

  /** 1.2 has no `[,]`/`[.]` delimiters, `{...}` prefixes or ranges; keep what it can hold. */
  function pattern12(type, value) {
    value = value.replace(/\{(?:lang|case_matters|order_matters)=[^}]*\}/g, "");
    if (type === "true-false") return value === "true" ? "t" : "f";
    if (type === "numeric") return value.split("[:]")[0];
    return value.replace(/\[,\]/g, ",").replace(/\[\.\]/g, ".");
  }

  /**
   * SCORM 1.2: translate the SCORM 2004 elements this course uses. Each handler returns the
   * 1.2 element and value to write, or SKIPPED when 1.2 has nothing to hold it.
   */
  function adapter12(api) {
    var completion = "";
    var success = "";
    var interactionTypes = {};

    function lessonStatus() {
      if (success === "passed" || success === "failed") return success;
      if (completion === "completed" || completion === "incomplete") return completion;
      return null;
    }

    var plain = {
      "cmi.location": "cmi.core.lesson_location",
      "cmi.suspend_data": "cmi.suspend_data",
      "cmi.learner_name": "cmi.core.student_name",
      "cmi.learner_id": "cmi.core.student_id",
      "cmi.entry": "cmi.core.entry",
      "cmi.credit": "cmi.core.credit",
      "cmi.mode": "cmi.core.lesson_mode",
      "cmi.interactions._count": "cmi.interactions._count",
      "cmi.objectives._count": "cmi.objectives._count"
    };

    var setters = {
      "cmi.exit": function (v) { return ["cmi.core.exit", v === "normal" ? "" : v]; },
      "cmi.session_time": function (v) {
        return ["cmi.core.session_time", timespan12(parseIsoDuration(v))];
      },
      "cmi.completion_status": function (v) {
        completion = v;
        var status = lessonStatus();
        return status ? ["cmi.core.lesson_status", status] : SKIPPED;
      },
      "cmi.success_status": function (v) {
        success = v;
        var status = lessonStatus();
        return status ? ["cmi.core.lesson_status", status] : SKIPPED;
      },
      // 1.2 scores are read as percentages: report the scaled score as raw 0..100.
      "cmi.score.scaled": function (v) {
        return [["cmi.core.score.min", "0"], ["cmi.core.score.max", "100"],
          ["cmi.core.score.raw", String(Math.round(parseFloat(v) * 10000) / 100)]];
      }
    };

    function setInteraction(n, rest, v) {
      var base = "cmi.interactions." + n + ".";
      if (rest === "type") interactionTypes[n] = v;
      if (rest === "id" || rest === "type" || rest === "weighting" || /^objectives\.\d+\.id$/.test(rest)) {
        return [base + rest, v];
      }
      if (rest === "timestamp") return [base + "time", v.slice(11, 19)]; // HH:MM:SS
      if (rest === "latency") return [base + "latency", timespan12(parseIsoDuration(v))];
      if (rest === "result") return [base + "result", v === "incorrect" ? "wrong" : v];
      if (rest === "learner_response") return [base + "student_response", pattern12(interactionTypes[n], v)];
      if (/^correct_responses\.\d+\.pattern$/.test(rest)) return [base + rest, pattern12(interactionTypes[n], v)];
      return SKIPPED; // description
    }

    function setObjective(n, rest, v) {
      var base = "cmi.objectives." + n + ".";
      if (rest === "id") return [base + "id", v];
      if (rest === "success_status") return v === "unknown" ? SKIPPED : [base + "status", v];
      if (rest === "score.scaled") {
        return [[base + "score.min", "0"], [base + "score.max", "100"],
          [base + "score.raw", String(Math.round(parseFloat(v) * 10000) / 100)]];
      }
      return SKIPPED; // raw/min/max (reported as a percentage above), completion, description
    }

    function translateSet(el, v) {
      if (setters[el]) return setters[el](v);
      if (plain[el]) return [plain[el], v];
      var m = /^cmi\.interactions\.(\d+)\.(.+)$/.exec(el);
      if (m) return setInteraction(m[1], m[2], v);
      m = /^cmi\.objectives\.(\d+)\.(.+)$/.exec(el);
      if (m) return setObjective(m[1], m[2], v);
      return SKIPPED; // progress_measure, score.raw/min/max, adl.nav.*, ...
    }

    function get(el) {
      return str(api.LMSGetValue(el));
    }

    return {
      initialize: function () {
        var ok = str(api.LMSInitialize("")) === "true";
        if (ok) {
          // Split the one 1.2 status into the two 2004 ones.
          var status = get("cmi.core.lesson_status");
          if (status === "passed" || status === "failed") success = status;
          if (status === "passed" || status === "failed" || status === "completed") completion = "completed";
          if (status === "incomplete") completion = "incomplete";
        }
        return ok;
      },
      terminate: function () { return str(api.LMSFinish("")) === "true"; },
      commit: function () { return str(api.LMSCommit("")) === "true"; },
      getValue: function (el) {
        if (plain[el]) return { value: get(plain[el]) };
        if (el === "cmi.completion_status") return { value: completion || "unknown" };
        if (el === "cmi.success_status") return { value: success || "unknown" };
        if (el === "cmi.scaled_passing_score") {
          var mastery = get("cmi.student_data.mastery_score");
          return { value: mastery === "" ? "" : String(parseFloat(mastery) / 100) };
        }
        var m = /^cmi\.objectives\.(\d+)\.id$/.exec(el);
        if (m) return { value: get(el) };
        return { value: "", skipped: true };
      },
      setValue: function (el, v) {
        var target = translateSet(el, v);
        if (target === SKIPPED) return SKIPPED;
        var writes = typeof target[0] === "string" ? [target] : target;
        var ok = true;
        for (var i = 0; i < writes.length; i++) {
          ok = str(api.LMSSetValue(writes[i][0], writes[i][1])) === "true" && ok;
        }
        return { ok: ok, as: writes.map(function (w) { return w[0] + " = " + w[1]; }).join("; ") };
      },
      lastError: function () { return str(api.LMSGetLastError()); },
      errorString: function (code) { return str(api.LMSGetErrorString(code)); }
    };
  }

  // --- The session -----------------------------------------------------------------------

  /**
   * One SCO's run-time session. `connected` is false when no LMS was found or Initialize
   * failed; every method still works then, it just stores nothing.
   */
  function Session(found) {
    this.version = found ? found.version : null;
    this.connected = false;
    this.finished = false;
    this.calls = [];
    this._listeners = [];
    this._startedAt = Date.now();
    this._adapter = found ? (found.version === "2004" ? adapter2004(found.api) : adapter12(found.api)) : null;
  }

  Session.prototype._record = function (call) {
    this.calls.push(call);
    for (var i = 0; i < this._listeners.length; i++) {
      try { this._listeners[i](call); } catch (e) { /* a broken listener must not stop the SCO */ }
    }
  };

  /** A failed call's "code: text", for the call log. */
  Session.prototype._error = function () {
    try {
      var code = this._adapter.lastError();
      var text = this._adapter.errorString(code);
      return code + (text ? ": " + text : "");
    } catch (e) {
      return String(e && e.message ? e.message : e);
    }
  };

  /** Run one API method, never letting the LMS's exceptions into the SCO. */
  Session.prototype._call = function (method, args, run) {
    var call = { method: method, args: args, ok: false };
    if (!this.connected) {
      call.note = this.finished ? "not sent: the session has ended" : "not sent: no LMS connection";
      this._record(call);
      return call;
    }
    try {
      var result = run.call(this);
      if (result === SKIPPED || result.skipped) {
        call.ok = true;
        call.note = "not sent: SCORM 1.2 has no such element";
        if (result.value !== undefined) call.value = result.value;
      } else {
        call.ok = result.ok !== undefined ? result.ok : true;
        if (result.value !== undefined) call.value = result.value;
        if (result.as) call.note = "sent as " + result.as;
      }
    } catch (e) {
      call.ok = false;
      call.error = "exception: " + (e && e.message ? e.message : e);
    }
    if (!call.ok && !call.error) call.error = this._error();
    this._record(call);
    return call;
  };

  Session.prototype._open = function () {
    if (!this._adapter) return;
    var ok = false;
    try {
      ok = this._adapter.initialize();
    } catch (e) {
      ok = false;
    }
    this.connected = ok;
    var call = { method: "Initialize", args: [""], ok: ok, value: ok ? "true" : "false" };
    if (!ok) call.error = this._error();
    this._record(call);
  };

  /** GetValue: the value, or "" when there is no value, no LMS or an error. */
  Session.prototype.get = function (element) {
    var call = this._call("GetValue", [element], function () {
      var result = this._adapter.getValue(element);
      var value = result.value;
      if (value === "" && !result.skipped && this._adapter.lastError() !== "0") {
        return { ok: false, value: "" };
      }
      return result;
    });
    return call.ok && call.value !== undefined ? call.value : "";
  };

  /** SetValue: true when the LMS accepted the value (or 1.2 has no place for it). */
  Session.prototype.set = function (element, value) {
    value = String(value);
    return this._call("SetValue", [element, value], function () {
      return this._adapter.setValue(element, value);
    }).ok;
  };

  /** Commit: ask the LMS to store what was set so far. */
  Session.prototype.commit = function () {
    return this._call("Commit", [""], function () {
      return { ok: this._adapter.commit() };
    }).ok;
  };

  /** Milliseconds since the page opened the session. */
  Session.prototype.elapsed = function () {
    return Date.now() - this._startedAt;
  };

  /** Report cmi.session_time and Terminate. Safe to call more than once. */
  Session.prototype.finish = function () {
    if (this.finished) return;
    this.finished = true;
    if (!this.connected) return;
    this.set("cmi.session_time", isoDuration(this.elapsed()));
    this._call("Terminate", [""], function () {
      return { ok: this._adapter.terminate() };
    });
    this.connected = false;
  };

  /** Whether the LMS says a navigation request (continue, previous, ...) would succeed now. */
  Session.prototype.canNavigate = function (request) {
    return this.version === "2004" && this.connected && this.get("adl.nav.request_valid." + request) === "true";
  };

  /** Ask the LMS to navigate (SCORM 2004 adl.nav.request), then end the session so it can. */
  Session.prototype.navigate = function (request) {
    if (this.set("adl.nav.request", request)) this.finish();
  };

  /** Call `listener(call)` for every call made from now on. */
  Session.prototype.onCall = function (listener) {
    this._listeners.push(listener);
  };

  // --- Page integration ----------------------------------------------------------------

  function showNoLmsNotice(doc) {
    if (doc.querySelector(".lms-notice")) return;
    var notice = doc.createElement("p");
    notice.className = "lms-notice";
    notice.setAttribute("role", "status");
    notice.textContent = NO_LMS_TEXT;
    var host = doc.querySelector("main") || doc.body;
    host.insertBefore(notice, host.firstChild);
  }

  /**
   * Find the LMS, open the session and make sure it is closed when the page goes away.
   * Shows the "No LMS connection" notice when there is no usable API.
   */
  function start(win) {
    win = win || global;
    var session = new Session(discover(win));
    session._open();
    var close = function () { session.finish(); };
    win.addEventListener("pagehide", close);
    win.addEventListener("beforeunload", close);
    if (!session.connected) {
      var doc = win.document;
      if (doc.readyState === "loading") {
        doc.addEventListener("DOMContentLoaded", function () { showNoLmsNotice(doc); });
      } else {
        showNoLmsNotice(doc);
      }
    }
    return session;
  }

  global.Scorm = {
    start: start,
    discover: discover,
    isoDuration: isoDuration,
    timestamp: timestamp,
    timespan12: timespan12
  };
})(window);

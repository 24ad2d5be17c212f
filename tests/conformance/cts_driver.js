/*
 * cts_driver.js: a JavaScript stand-in for ADL's LMSTestSCOApplet (common/LMSTest.jar).
 *
 * The CTS SCO pages look up the applet with document.getElementById("NNLMSTestSCODriver")
 * (or "LMSTestSCODriver") and call its methods: evalID, getUITestQuestions,
 * evaluateUIResults, runCommands, curUserInstructions, completed, writeToLog, terminateTest,
 * setSCOStatus / getScoStatus, testTerminate, failed, alertFailure. The assembler
 * (tests/conformance/assemble.py) adds this file and common/cts_script.js to every SCO page,
 * after lmsrtefunctions.js; this file puts the driver's methods on those <object> elements.
 *
 * window.CTS_SCRIPT (cts_script.js) holds the parsed test script: each visit's commands, UI
 * questions and answers, and user instruction, plus the resource bundles (commands,
 * instructions, userinterface). The harness (run_cts.py) is the authority on delivery order:
 * evalID asks it, by a synchronous POST, which visit of the activity this is; every check
 * result is reported the same way, so the runner sees them in order. Without a harness (the
 * package opened by hand) visits are counted in localStorage and results only logged.
 */
(function () {
  "use strict";

  var S = window.CTS_SCRIPT || {};
  var COMMANDS = S.commands || {};
  var current = null; // {label, act, visit, expected} of this page's delivery
  var scoStatus = "";
  var failures = 0;
  var MORE_PROBLEMS = 20; // mismatches after the first that a page reports for the notes

  // --- talking to the harness ----------------------------------------------------------

  function post(message) {
    message.run = S.run;
    message.page = window.location.href;
    if (current) message.label = current.label;
    var body = JSON.stringify(message);
    if (!S.harness) {
      if (window.console) console.log("[cts]", body);
      return null;
    }
    try {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", S.harness + "/event", false); // synchronous: keeps the report order
      xhr.setRequestHeader("Content-Type", "text/plain");
      xhr.send(body);
      return xhr.status === 200 ? JSON.parse(xhr.responseText) : null;
    } catch (error) {
      return null;
    }
  }

  function beacon(message) {
    message.run = S.run;
    if (current) message.label = current.label;
    if (S.harness && navigator.sendBeacon) {
      navigator.sendBeacon(S.harness + "/event", JSON.stringify(message)); // fine in unload
    }
  }

  function localVisit(act) {
    var key = "cts-visits:" + S.run, counts = {};
    try {
      counts = JSON.parse(window.localStorage.getItem(key) || "{}");
      counts[act] = (counts[act] || 0) + 1;
      window.localStorage.setItem(key, JSON.stringify(counts));
    } catch (error) {
      counts[act] = 1;
    }
    return counts[act];
  }

  // --- resolving the script's abbreviations (commands.properties) ------------------------

  function has(key) {
    return Object.prototype.hasOwnProperty.call(COMMANDS, key);
  }

  function resolve(key) {
    return has(key) ? COMMANDS[key] : key;
  }

  /** Element parts joined with ".": a part whose value holds %s takes the next part. */
  function element(parts) {
    var out = [];
    for (var i = 0; i < parts.length; i++) {
      var value = resolve(parts[i]);
      if (value.indexOf("%s") >= 0 && i + 1 < parts.length) {
        value = value.replace("%s", parts[++i]);
      }
      out.push(value);
    }
    return out.join(".");
  }

  /** "SET" argument: the element, then after the first "!", the value. */
  function setArgument(arg) {
    var bang = arg.indexOf("!");
    if (bang < 0) return { parts: arg.split("~"), value: "" };
    var head = arg.slice(0, bang).split("~");
    var rest = arg.slice(bang + 1);
    var valueParts = rest.split("~");
    var template = has(valueParts[0]) ? COMMANDS[valueParts[0]] : null;
    var value;
    if (template !== null && template.indexOf("%s") >= 0 && valueParts.length > 1) {
      // a~n~r!tar~ACTID~TY.c -> {target=ACTID}choice
      value = template.replace("%s", valueParts[1]) +
        valueParts.slice(2).map(resolve).join("");
    } else {
      value = resolve(rest);
    }
    return { parts: head, value: value };
  }

  /** "GET" argument: the element; a part ending in !TYPEKEY names an interaction type. */
  function getArgument(arg) {
    var type = null;
    var parts = arg.split("~").map(function (part) {
      var bang = part.indexOf("!");
      if (bang < 0) return part;
      type = resolve(part.slice(bang + 1));
      return part.slice(0, bang);
    });
    return { parts: parts, type: type };
  }

  /** Replace &id& parts by the index of that id in cmi.objectives or adl.data. */
  function indirect(parts) {
    var out = [];
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      var m = /^&(.*)&$/.exec(part);
      if (!m) {
        out.push(part);
        continue;
      }
      var collection = element(out);
      var count = parseInt(doGetValue(collection + "._count"), 10) || 0;
      var found = -1, ids = [];
      for (var n = 0; n < count; n++) {
        ids.push(doGetValue(collection + "." + n + ".id"));
        if (found < 0 && ids[n] === m[1]) found = n;
      }
      if (found < 0) return { missing: m[1], collection: collection + " " + JSON.stringify(ids) };
      out.push(String(found));
    }
    return { parts: out };
  }

  function expectedValue(raw) {
    return resolve(raw);
  }

  // --- running one command ---------------------------------------------------------------

  /** Run a command line; returns null when it passes, else a description of the mismatch. */
  function runCommand(line) {
    // OP->ARG->EXPECTED->ERR. The last two fields are EXPECTED and ERR: one DDM line
    // has a stray "->0" inside its value ("...09:28:22->0->t->0"), and reading from the
    // end is the one reading under which both that SET and the GET checking it agree.
    var f = line.split("->");
    var op = f[0], arg = f[1] || "", expected = f[2] || "", err = f.length > 3 ? f[3] : "";
    if (f.length > 4) {
      expected = f[f.length - 2];
      err = f[f.length - 1];
    }
    var call, result, got, want;

    if (op === "COI") return compareObjectiveIds(arg);
    if (op === "SET") {
      var set = setArgument(arg);
      var r = indirect(set.parts);
      if (r.missing !== undefined) return "id " + r.missing + " not found in " + r.collection;
      var target = element(r.parts);
      call = 'SetValue("' + target + '", ' + JSON.stringify(short(set.value)) + ")";
      result = doSetValue(target, set.value);
      want = expectedValue(expected);
      got = doGetLastError();
      if (result !== want) return call + " returned " + JSON.stringify(result) + ", expected " + JSON.stringify(want) + " (error " + got + ")";
      if (err !== "" && got !== err) return call + " error " + got + ", expected " + err;
      return null;
    }
    if (op === "GET") {
      var g = getArgument(arg);
      var ind = indirect(g.parts);
      if (ind.missing !== undefined) return "id " + ind.missing + " not found in " + ind.collection;
      var name = element(ind.parts);
      call = 'GetValue("' + name + '")';
      result = doGetValue(name);
      got = doGetLastError();
      if (expected === ANY_VALUE) return null; // a value, or an error code: either is right
      var check = compareGet(name, g, result, expected, got);
      if (check) return call + " " + check;
      if (err !== "" && got !== err) return call + " error " + got + ", expected " + err + " (value " + JSON.stringify(short(result)) + ")";
      return null;
    }
    var fn = resolve(op);
    var param = arg === "" ? "" : resolve(arg);
    switch (op) {
      case "I": result = doInitialize(param); break;
      case "T": result = doTerminate(param); scoStatus = "terminated"; break;
      case "C": result = doCommit(param); break;
      case "GLE": result = doGetLastError(); break;
      case "GES": result = doGetErrorString(param); break;
      case "GeDi": result = doGetDiagnostic(param); break;
      default:
        // A line with no operation the applet can call (the suite's DMI Act3V2 command 47
        // lost its "GET->") makes no API call; the report's log names it.
        post({ type: "log", level: 1, message: "no call for command " + JSON.stringify(short(op)) });
        return null;
    }
    call = fn + "(" + JSON.stringify(param) + ")";
    got = doGetLastError();
    if (op === "GeDi") {
      if (String(result).length >= 255) return call + " returned " + result.length + " characters";
    } else if (op === "GES") {
      var text = expectedValue(expected);
      if (expected === "less255") {
        if (String(result).length >= 255) return call + " returned " + result.length + " characters";
      } else if (expected === "emptyCS") {
        if (result !== "") return call + " returned " + JSON.stringify(result) + ", expected \"\"";
      } else if (result !== text) {
        return call + " returned " + JSON.stringify(result) + ", expected " + JSON.stringify(text);
      }
    } else if (op !== "T" && expected !== "") {
      want = expectedValue(expected);
      if (result !== want) return call + " returned " + JSON.stringify(result) + ", expected " + JSON.stringify(want) + " (error " + got + ")";
    }
    if (err !== "" && got !== err) return call + " error " + got + ", expected " + err;
    return null;
  }

  function short(text) {
    text = String(text);
    return text.length > 120 ? text.slice(0, 120) + "…(" + text.length + " chars)" : text;
  }

  var REAL = /\.(scaled|raw|min|max|progress_measure|scaled_passing_score|completion_threshold|weighting|audio_level|delivery_speed)$/;
  var DURATION = /\.(total_time|max_time_allowed|latency|session_time)$/;
  var ANY_VALUE = "Returned a valid value or error code";

  function compareGet(name, g, result, expected, err) {
    if (/\.(learner_name|learner_id)$/.test(name)) return null; // only the error is checked
    if (expected === ANY_VALUE) return null;
    if (expected === "") {
      if (/\._count$/.test(name)) return null;
      var m = /^&(.*)&$/.exec(g.parts[g.parts.length - 2] || "");
      if (m && /\.id$/.test(name)) {
        return result === m[1] ? null : "returned " + JSON.stringify(result) + ", expected " + JSON.stringify(m[1]);
      }
    }
    var want = expectedValue(expected);
    if (result === want) return null;
    if (/\._children$/.test(name) && sameSet(result, want)) return null;
    if (DURATION.test(name) && sameDuration(result, want)) return null;
    if (REAL.test(name) && result !== "" && want !== "" && Number(result) === Number(want)) {
      return null; // real(10,7): the script spells the same number "0", "0.0", "1", "1.0"
    }
    if (g.type && samePattern(g.type, result, want)) return null;
    return "returned " + JSON.stringify(short(result)) + ", expected " + JSON.stringify(short(want)) + " (error " + err + ")";
  }

  /** _children lists the supported keywords; their order is not specified. */
  function sameSet(got, want) {
    var a = String(got).split(",").sort(), b = String(want).split(",").sort();
    return a.join(",") === b.join(",");
  }

  /** timeinterval (second,10,2): "PT1M" and "PT0H1M0S" are the same duration. Years and
   *  months have no fixed length, so those parts must match as written. */
  function sameDuration(got, want) {
    var parse = function (text) {
      var m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(String(text));
      if (!m || text === "P" || /T$/.test(text)) return null;
      var n = function (i) { return m[i] ? Number(m[i]) : 0; };
      return { ym: n(1) * 12 + n(2), seconds: Math.round((((n(3) * 24 + n(4)) * 60 + n(5)) * 60 + n(6)) * 100) };
    };
    var a = parse(got), b = parse(want);
    return !!(a && b && a.ym === b.ym && a.seconds === b.seconds);
  }

  /** Interaction values that differ only in spelling the data model allows. */
  function samePattern(type, got, want) {
    if (type === "numeric") {
      var a = String(got).split("[:]"), b = String(want).split("[:]");
      return a.length === b.length && a.every(function (x, i) {
        return x === b[i] || (x !== "" && b[i] !== "" && Number(x) === Number(b[i]));
      });
    }
    return false;
  }

  function compareObjectiveIds(arg) {
    var ids = arg.split(",").filter(function (x) { return x !== ""; });
    var count = parseInt(doGetValue("cmi.objectives._count"), 10) || 0;
    var have = [];
    for (var n = 0; n < count; n++) have.push(doGetValue("cmi.objectives." + n + ".id"));
    var missing = ids.filter(function (id) { return have.indexOf(id) < 0; });
    if (count !== ids.length || missing.length) {
      return "cmi.objectives ids are " + JSON.stringify(have) + ", expected " + JSON.stringify(ids);
    }
    return null;
  }

  function visitData() {
    return (current && S.visits && S.visits[current.label]) || {};
  }

  function render(table, spec) {
    // key~key@var: each key through the table, "@var" fills %s
    if (!spec) return "";
    return spec.split("~").map(function (item) {
      var at = item.indexOf("@");
      var key = at < 0 ? item : item.slice(0, at);
      var value = at < 0 ? "" : item.slice(at + 1);
      var text = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : key;
      return text.replace("%s", value);
    });
  }

  // --- the driver --------------------------------------------------------------------------

  var driver = {
    evalID: function (id) {
      var bang = String(id).indexOf("!");
      var tc = String(id).slice(0, bang), act = String(id).slice(bang + 1);
      var answer = post({ type: "eval", tc: tc, act: act });
      if (!answer) {
        var visit = localVisit(act);
        answer = { label: "Act" + act + "V" + visit, act: act, visit: visit,
                   expected: !!(S.visits && S.visits["Act" + act + "V" + visit]) };
      }
      current = answer;
      return !!answer.expected;
    },
    getUITestQuestions: function () {
      var questions = render(S.ui || {}, visitData().uiq || "");
      var text = questions === "" ? "" : questions.join("~");
      post({ type: "uiq", count: questions === "" ? 0 : questions.length });
      return text;
    },
    evaluateUIResults: function (answers) {
      var want = visitData().uia || "";
      var ok = String(answers) === want;
      post({ type: "uia", passed: ok, answers: String(answers), expected: want,
             failure: ok ? null : "UI answers " + answers + ", expected " + want });
      if (!ok) failures++;
      return ok;
    },
    runCommands: function () {
      var list = visitData().commands || [];
      var problems = [];
      for (var i = 0; i < list.length; i++) {
        var problem;
        try {
          problem = runCommand(list[i]);
        } catch (error) {
          problem = "threw " + error;
        }
        if (problem) problems.push("command " + i + " (" + short(list[i]) + "): " + problem);
      }
      var failed = problems.length;
      failures += failed;
      // The first mismatch fails the test; the next ones (a few) go to the report's notes.
      post({ type: "commands", passed: failed === 0, count: list.length, failed: failed,
             failure: failed ? problems[0] : null, more: problems.slice(1, MORE_PROBLEMS + 1) });
      return failed === 0;
    },
    curUserInstructions: function () {
      var cui = visitData().cui || "";
      post({ type: "instructions", cui: cui });
      if (!cui) return "";
      var parts = cui.split("~");
      var text = (S.instructions || {})[parts[0]] || parts[0];
      for (var i = 1; i < parts.length; i++) text = text.replace("%s", parts[i]);
      return text;
    },
    completed: function () {
      beacon({ type: "completed", failures: failures });
    },
    writeToLog: function (log, type, msg) {
      var failedType = Number(type) === 3 || Number(type) === 4;
      if (failedType) failures++;
      post({ type: "log", level: Number(type), message: String(msg), failure: failedType ? String(msg) : null });
    },
    terminateTest: function () {
      post({ type: "terminate", failure: "the SCO page stopped the test (terminateTest)" });
    },
    setSCOStatus: function (status) {
      scoStatus = String(status);
    },
    getScoStatus: function () {
      return scoStatus;
    },
    testTerminate: function (param) {
      var result = doTerminate(param);
      var err = doGetLastError();
      scoStatus = "terminated";
      var ok = result === "true" && err === "0";
      if (!ok) driver.writeToLog("Detailed", 3, "Terminate(\"\") returned " + result + ", error " + err);
      return ok;
    },
    failed: function () {
      failures++;
      post({ type: "failed", failure: "the SCO page reported a failure" });
    },
    alertFailure: function () {
      failures++;
      post({ type: "failed", failure: "the SCO page reported an unexpected resource" });
    },
  };

  // BrowserDetect.js alerts "Browser not tested." for anything but IE, Netscape and Firefox:
  // the applet-era browser check, not something the LMS is tested on.
  window.DetectUnsupportedBrowser = function () { return true; };

  var IDS = { NNLMSTestSCODriver: true, LMSTestSCODriver: true };
  var originalById = Document.prototype.getElementById;
  function attach(el) {
    for (var name in driver) {
      if (Object.prototype.hasOwnProperty.call(driver, name)) {
        try { el[name] = driver[name]; } catch (error) { return false; }
      }
    }
    return typeof el.evalID === "function";
  }
  // The pages ask for the <object> by id; give them that element with the driver's
  // methods, or the driver itself where the element cannot carry them.
  Document.prototype.getElementById = function (id) {
    var el = originalById.call(this, id);
    if (this === document && IDS[id] === true) {
      return el && attach(el) ? el : driver;
    }
    return el;
  };
  window.ctsDriver = driver;
})();

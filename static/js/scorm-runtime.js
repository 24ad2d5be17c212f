/*
 * scorm-runtime.js: the SCORM run-time API (1.2 RTE 3.3, 2004 4th Ed. RTE 3.1) over a local
 * copy of the CMI data, driven only by `scorm_player.datamodel.export_json(version)`.
 *
 * Theory of operation. This is a re-implementation of the Python `CMIRuntime`
 * (scorm_player/datamodel/runtime.py), and must give the same answer and error code for
 * every call sequence (tests/runtime_js/test_parity.py holds it to that). It knows no element
 * name, regex or error code: the element table, types, response formats, errors and policies
 * all come from the exported JSON. The runtime holds a flat store ({concrete path: value}
 * plus a _count per concrete collection path) and a phase: not_initialized -> running ->
 * terminated. The eight API methods only ever return strings and never throw into content:
 * the rules raise a DataModelError with a version-neutral condition ("TYPE_MISMATCH"), which
 * `errors.conditions` turns into the version's code.
 *
 * Check order (export `check_order`, rte-api.md section 3):
 * - GetValue: state, empty name, undefined, index out of range, keyword, write-only, shared
 *   data not readable, evaluation (2004 RTE 4.2.4.1 / 4.2.22.1), not initialized.
 * - SetValue: state, empty name, undefined, keyword, read-only, shared data not writable,
 *   index, dependency, pattern count, type, range, write-once, unique, SPM (policy).
 *
 * Lengths count Unicode code points ([...s].length), as Python's len does.
 * Plain ES2020, no DOM: `window.ScormRuntime` in a browser, `module.exports` in node.
 */
(function (root, factory) {
  "use strict";
  const ScormRuntime = factory();
  if (typeof module === "object" && module.exports) module.exports = ScormRuntime;
  if (root) root.ScormRuntime = ScormRuntime;
})(typeof window !== "undefined" ? window : null, function () {
  "use strict";

  // Keyword names and the 255-character cap on diagnostics belong to the API itself
  // (1.2 RTE 3.3.2, 2004 RTE 3.1.4.3), not to the element table.
  const CHILDREN = "_children";
  const COUNT = "_count";
  const VERSION = "_version";
  const DIAGNOSTIC_LIMIT = 255;
  // The 2004 type whose format is a correct_responses pattern (the other is learner_response).
  const RESPONSE_PATTERN = "response_pattern";
  // schema._ARGUMENT (`^(.*)\.\{([a-z_]+)=([^}]*)\}$` under Python's re.match): Python's `.`
  // stops only at "\n" and its `$` also matches before a final "\n".
  const ARGUMENT = /^([^\n]*)\.\{([a-z_]+)=([^}]*)\}\n?$/;
  const DIGITS = /^[0-9]+$/;

  class DataModelError extends Error {
    /** A broken rule; `condition` is a key of the export's `errors.conditions`. */
    constructor(condition, detail) {
      super(detail ? `${condition}: ${detail}` : condition);
      this.condition = condition;
      this.detail = detail || "";
    }
  }

  const NO_ERROR = new DataModelError("NO_ERROR");
  const fail = (condition, detail) => new DataModelError(condition, detail);
  const text = (value) => (typeof value === "string" ? value : String(value));
  const codePoints = (value) => [...value].length;
  const cutCodePoints = (value, n) => [...value].slice(0, n).join("");
  const short = (value) => JSON.stringify(cutCodePoints(value, 40));
  const lookup = (object) => new Map(Object.entries(object || {}));
  const startsWithAny = (value, prefixes) => prefixes.some((p) => value.startsWith(p));
  const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  const countIn = (store, path) => store.counts.get(path) || 0;

  // --- the element table ----------------------------------------------------------------

  /** Finds names in the exported element table (schema.DataModel.resolve). */
  class Model {
    constructor(definitions) {
      this.definitions = definitions;
      this.namespaces = definitions.namespaces;
      this.keywords = definitions.keywords;
      this.elements = lookup(definitions.elements);
      this.collections = lookup(definitions.collections);
      this.groups = lookup(definitions.groups);
      this.indexRegex = new RegExp(definitions.index_regex);
      this.nodes = new Set([...this.collections.keys(), ...this.groups.keys()]);
      for (const pattern of this.elements.keys()) {
        const tokens = pattern.split(".");
        for (let i = 1; i <= tokens.length; i++) this.nodes.add(tokens.slice(0, i).join("."));
      }
      this._regexes = new Map();
    }

    /** The compiled form of an exported (anchored) regex. */
    regex(source) {
      let compiled = this._regexes.get(source);
      if (!compiled) this._regexes.set(source, (compiled = new RegExp(source)));
      return compiled;
    }

    /**
     * `cmi.interactions.3.objectives._count` -> {pattern, path, levels, keyword, argument,
     * badIndex}: split on ".", an index after each collection path, a trailing keyword, a
     * trailing `.{target=...}` for elements that take one.
     */
    resolve(name) {
      let argument = null;
      const match = ARGUMENT.exec(name);
      if (match) {
        const element = this.elements.get(match[1]);
        if (element && element.argument === match[2]) [name, argument] = [match[1], match[3]];
      }
      const tokens = name.split(".");
      if (!this.namespaces.includes(tokens[0])) {
        throw fail("FOREIGN_ELEMENT", `${short(name)} is not in the data model`);
      }
      const parts = [];
      const concrete = [];
      const levels = [];
      let keyword = null;
      let badIndex = false;
      for (let position = 0; position < tokens.length; position++) {
        const token = tokens[position];
        const prefix = parts.join(".");
        if (position === tokens.length - 1 && position > 0 && this.keywords.includes(token)) {
          keyword = token;
          break;
        }
        if (this.collections.has(prefix)) {
          if (!DIGITS.test(token)) throw fail("UNDEFINED_ELEMENT", `${prefix} needs an index`);
          badIndex = badIndex || !this.indexRegex.test(token);
          const index = token.replace(/^0+(?=[0-9])/, ""); // Python's str(int(token))
          const path = concrete.join(".");
          levels.push({ pattern: prefix, path, index: Number(index), text: index });
          parts.push("n");
          concrete.push(index);
          continue;
        }
        parts.push(token);
        concrete.push(token);
      }
      const pattern = parts.join(".");
      const known = keyword !== null ? this.nodes.has(pattern) : this.elements.has(pattern);
      if (!known) throw fail("UNDEFINED_ELEMENT", `${short(name)} is not defined`);
      let path = concrete.join(".");
      const takes = keyword === null ? this.elements.get(pattern).argument : null;
      if (takes) {
        if (argument === null) throw fail("UNDEFINED_ELEMENT", `${short(name)} needs an argument`);
        path = `${path}.{${takes}=${argument}}`;
      }
      return { name, pattern, path, levels, keyword, argument, badIndex };
    }
  }

  /** `pattern` with the address's indexes put in for its `n` tokens (Address.concrete). */
  function concreteFor(address, pattern) {
    let next = 0;
    return pattern
      .split(".")
      .map((token) => (token === "n" ? address.levels[next++].text : token))
      .join(".");
  }

  // --- values (types.check_value) ---------------------------------------------------------

  function measuredLength(model, value, measure) {
    if (measure === "text") {
      const found = model.regex(model.definitions.responses.regex.lang_prefix).exec(value);
      if (found) return codePoints(value) - codePoints(found[0]);
    }
    return codePoints(value);
  }

  function inRange(value, [low, high]) {
    const number = Number(value); // binary floats, as Python's float()
    return (low === null || number >= low) && (high === null || number <= high);
  }

  /**
   * Check a value against an element's rule (its type narrowed by the element): vocabulary
   * hit, regex, range, hard length (`maxLength` replaces the rule's), SPM. Returns whether
   * the value is over its SPM (never an error: the policy decides).
   */
  function checkValue(model, rule, value, maxLength) {
    if (rule.vocabulary && rule.vocabulary.includes(value)) return false;
    if (rule.regex === null) {
      throw fail("TYPE_MISMATCH", `${short(value)} is not in the vocabulary`);
    }
    if (!model.regex(rule.regex).test(value)) {
      throw fail("TYPE_MISMATCH", `${short(value)} is not a valid ${rule.type}`);
    }
    if (rule.range && value !== "" && !inRange(value, rule.range)) {
      throw fail("VALUE_OUT_OF_RANGE", `${short(value)} is outside ${JSON.stringify(rule.range)}`);
    }
    const limit = maxLength === null || maxLength === undefined ? rule.max_length : maxLength;
    const length = measuredLength(model, value, rule.measure);
    if (limit !== null && length > limit) {
      throw fail("TYPE_MISMATCH", `${length} characters, the limit is ${limit}`);
    }
    return rule.spm !== null && length > rule.spm;
  }

  // --- response formats (responses.py; the export's responses.algorithm) --------------------

  /** 2004 correct_responses patterns and learner responses (RTE 4.2.9.1). */
  class Responses {
    constructor(model) {
      const exported = model.definitions.responses;
      this.exported = exported;
      this.types = lookup(exported.types);
      this.feedback = exported.feedback ? lookup(exported.feedback) : null;
      this.separators = exported.separators || {};
      this.model = model;
    }

    _mismatch(why) {
      return fail("TYPE_MISMATCH", why);
    }

    _matches(regexName, value) {
      return this.model.regex(this.exported.regex[regexName]).test(value);
    }

    /** 1.2 RTE 3.4.4 CMIFeedback: at most max_length, in the format of the type, if any. */
    checkFeedback12(kind, value) {
      if (codePoints(value) > this.exported.max_length) {
        throw this._mismatch(`CMIFeedback is at most ${this.exported.max_length} characters`);
      }
      const regex = kind === null || kind === undefined ? undefined : this.feedback.get(kind);
      if (regex !== undefined && !this.model.regex(regex).test(value)) {
        throw this._mismatch(`${short(value)} is not a ${kind} response`);
      }
    }

    /** Leading {flag=true|false} the format allows, any order, each once: [flags, rest]. */
    _splitFlags(value, allowed) {
      const flags = new Map();
      let rest = value;
      while (rest.startsWith("{")) {
        const name = allowed.find((n) => rest.startsWith(`{${n}=`));
        if (name === undefined || flags.has(name)) break;
        const end = rest.indexOf("}");
        if (end === -1) break;
        const flag = rest.slice(name.length + 2, end);
        if (!this.exported.flag_values.includes(flag)) {
          throw this._mismatch(`{${name}=...} must be true or false`);
        }
        flags.set(name, flag);
        rest = rest.slice(end + 1);
      }
      return [flags, rest];
    }

    /** The stored form of a valid pattern or response (responses.canonical_response). */
    canonical(format, value) {
      let [flags, body] = this._splitFlags(value, format.flags);
      let language = null;
      if (format.item.kind === "localized_string" && !format.list) {
        const found = this.model.regex(this.exported.regex.lang_prefix).exec(body);
        if (found) {
          language = found[0].slice("{lang=".length, -1);
          body = body.slice(found[0].length);
          const more = format.flags.filter((name) => !flags.has(name));
          try {
            const [lifted, rest] = this._splitFlags(body, more);
            lifted.forEach((flag, name) => flags.set(name, flag));
            body = rest;
          } catch (error) {
            if (!(error instanceof DataModelError)) throw error; // then it is plain text
          }
        }
      } else if (format.list && flags.size > 0 && this._firstItemOverSpm(format, value)) {
        return value;
      }
      const defaults = this.exported.flag_defaults;
      let kept = "";
      flags.forEach((flag, name) => {
        if (flag !== defaults[name]) kept += `{${name}=${flag}}`;
      });
      if (language !== null && language.toLowerCase() !== this.exported.default_language) {
        kept += `{lang=${language}}`;
      }
      return kept + body;
    }

    _firstItemOverSpm(format, value) {
      const first = value.split(this.separators.list)[0];
      if (format.item.kind === "step") {
        return codePoints(first.split(this.separators.pair)[0]) > this.exported.short_identifier_spm;
      }
      return format.item.spm !== null && codePoints(first) > format.item.spm;
    }

    _checkRange(value) {
      const parts = value.split(this.separators.range);
      if (parts.length !== 2) throw this._mismatch("a range is min[:]max");
      for (const bound of parts) {
        if (bound !== "" && !this._matches("real", bound)) {
          throw this._mismatch(`${short(bound)} is not a real number`);
        }
      }
      const [low, high] = parts;
      if (low !== "" && high !== "" && Number(low) > Number(high)) {
        throw this._mismatch("the range minimum exceeds the maximum");
      }
    }

    _checkIdentifier(value) {
      if (!this._matches("short_identifier", value)) {
        throw this._mismatch(`${short(value)} is not a short_identifier_type`);
      }
      return codePoints(value) > this.exported.short_identifier_spm;
    }

    _checkStep(item, value) {
      const parts = value.split(this.separators.pair);
      if (parts.length !== 2) throw this._mismatch("a step is step_name[.]step_answer");
      const [name, answer] = parts;
      if (name === "" && answer === "") throw this._mismatch("a step needs a name or an answer");
      let over = name !== "" ? this._checkIdentifier(name) : false;
      if (answer.includes(this.separators.range)) {
        if (!item.answer_ranges) {
          throw this._mismatch("a learner response step answer cannot be a range");
        }
        this._checkRange(answer);
      } else if (item.spm !== null && codePoints(answer) > item.spm) {
        over = true;
      }
      return over;
    }

    /** One item by its kind; returns whether it is over its SPM. */
    _checkItem(item, value) {
      switch (item.kind) {
        case "short_identifier":
          return this._checkIdentifier(value);
        case "vocabulary":
          if (!item.vocabulary || !item.vocabulary.includes(value)) {
            throw this._mismatch(`${short(value)} is not one of ${item.vocabulary}`);
          }
          return false;
        case "real":
          if (!this._matches("real", value)) {
            throw this._mismatch(`${short(value)} is not a real number`);
          }
          return false;
        case "range":
          this._checkRange(value);
          return false;
        case "pair": {
          const parts = value.split(this.separators.pair);
          if (parts.length !== 2) throw this._mismatch("a pair is source[.]target");
          return parts.some((part) => this._checkIdentifier(part)); // stops at the first over SPM
        }
        case "step":
          return this._checkStep(item, value);
        case "localized_string": {
          const found = this.model.regex(this.exported.regex.lang_prefix).exec(value);
          if (!found && value.startsWith("{lang=") && value.includes("}")) {
            throw this._mismatch("the {lang=...} delimiter holds no valid language_type");
          }
          if (found) value = value.slice(found[0].length);
          break;
        }
        default: // characterstring: any text
      }
      return item.spm !== null && codePoints(value) > item.spm;
    }

    /** A whole pattern or response; returns whether it is over an SPM. */
    check(format, value) {
      const body = this._splitFlags(value, format.flags)[1];
      if (!format.list) {
        if (body === "" && !format.allow_empty) throw this._mismatch("the response is empty");
        return this._checkItem(format.item, body);
      }
      if (body === "") {
        if (format.allow_empty) return false;
        throw this._mismatch("the response is empty");
      }
      const items = body.split(this.separators.list);
      let over = false;
      for (const item of items) over = this._checkItem(format.item, item) || over;
      if (format.unique_items && new Set(items).size !== items.length) {
        throw this._mismatch("an identifier is repeated");
      }
      return over || (format.items_spm !== null && items.length > format.items_spm);
    }

    /** Whether two valid patterns say the same: "set" (any order) or "sequence". */
    same(kind, first, second) {
      const a = first.split(this.separators.list);
      const b = second.split(this.separators.list);
      if (kind === "set") {
        const [x, y] = [new Set(a), new Set(b)];
        return x.size === y.size && [...x].every((item) => y.has(item));
      }
      return a.length === b.length && a.every((item, i) => item === b[i]);
    }
  }

  // --- the runtime -------------------------------------------------------------------------

  function newStore() {
    return { values: new Map(), counts: new Map() };
  }

  class ScormRuntime {
    /**
     * @param definitions export_json(version)
     * @param state {element: value} in dot notation, loaded as the LMS (types checked, not
     *   access or SPMs); entries that do not load are skipped and listed in `loadErrors`.
     * @param options {policy: "lenient"|"strict", dataMaps: [{id, store, read_shared_data,
     *   write_shared_data}], navValidity(request, target), onCommit({final}),
     *   onTerminate(), onRelaxation(relaxation)}; onCommit/onTerminate returning false
     *   means the data could not be persisted (391 / 111).
     */
    constructor(definitions, state, options) {
      options = options || {};
      this.definitions = definitions;
      this.version = definitions.version;
      this.model = new Model(definitions);
      this.responses = new Responses(this.model);
      this.policyName = options.policy || "lenient";
      if (!hasOwn(definitions.policies, this.policyName)) {
        throw new Error(`unknown policy ${this.policyName}`);
      }
      this.policy = definitions.policies[this.policyName];
      // What runtime.py ties to the version rather than to the element table (export
      // version_keyword, shared_data, format_change_erases, text_types, decoded_uri_elements).
      this.versionKeyword = definitions.version_keyword;
      this.sharedData = definitions.shared_data;
      this.formatChangeErases = definitions.format_change_erases;
      this.textTypes = definitions.text_types;
      this.decodedUriElements = definitions.decoded_uri_elements;
      this.phase = "not_initialized";
      this.relaxations = [];
      this.loadErrors = [];
      this._codes = lookup(definitions.errors.conditions);
      this._texts = lookup(definitions.errors.codes);
      this._store = newStore();
      this._changes = [];
      this._noRead = new Set();
      this._noWrite = new Set();
      this._options = options;
      this._last = NO_ERROR;
      this._structural = this._structuralPatterns();
      for (const [name, value] of Object.entries(state || {})) this._tryLoad(name, value);
      this._loadDataMaps(options.dataMaps || []);
    }

    // --- the API ----------------------------------------------------------------------------

    /** Initialize("") / LMSInitialize(""). */
    initialize(argument) {
      return this._call(() => this._initialize(argument === undefined ? "" : text(argument)));
    }

    /** Terminate("") / LMSFinish(""): persists (onTerminate), then ends the session. */
    terminate(argument) {
      return this._call(() => this._terminate(argument === undefined ? "" : text(argument)));
    }

    /** Commit("") / LMSCommit(""). */
    commit(argument) {
      return this._call(() => this._commit(argument === undefined ? "" : text(argument)));
    }

    /** GetValue(element): the value, or "" with the error code set. */
    getValue(element) {
      if (this.phase !== "running") {
        return this._refuse("GET_BEFORE_INITIALIZE", "GET_AFTER_TERMINATE", "");
      }
      return this._guarded(() => this._get(text(element)), "");
    }

    /** SetValue(element, value): "true", or "false" with the error code set. */
    setValue(element, value) {
      if (this.phase !== "running") {
        return this._refuse("SET_BEFORE_INITIALIZE", "SET_AFTER_TERMINATE", "false");
      }
      return this._guarded(() => this._scoSetValue(text(element), text(value)), "false");
    }

    /** GetLastError(): the code of the last call, as a string. */
    getLastError() {
      return String(this._code(this._last.condition));
    }

    /** GetErrorString(code): the standard text, "" for a code the version does not have. */
    getErrorString(code) {
      try {
        return this._errorString(text(code));
      } catch (error) {
        return "";
      }
    }

    /** GetDiagnostic(code): detail on the last error ("" or its code), else the code's text. */
    getDiagnostic(code) {
      try {
        code = text(code);
        const last = this.getLastError();
        const about = code === "" || code === last;
        const said = about ? this._last.detail || this._errorString(last) : this._errorString(code);
        return cutCodePoints(said, DIAGNOSTIC_LIMIT);
      } catch (error) {
        return "";
      }
    }

    // --- for the page and the tests ---------------------------------------------------------

    /** A copy of every stored value, by concrete path. */
    get values() {
      return Object.fromEntries(this._store.values);
    }

    /** _count of a concrete collection path (`cmi.interactions.0.objectives`). */
    count(collectionPath) {
      return countIn(this._store, collectionPath);
    }

    /** Every concrete collection path and its _count. */
    get counts() {
      return Object.fromEntries(this._store.counts);
    }

    /**
     * The SCO's successful writes since the last call, as [path, value] pairs in SetValue
     * order: replaying them with CMIRuntime.apply_changes reaches the same state. An
     * overwrite of a plain value replaces the previous write of that path (see _record).
     */
    takeChanges() {
      const changes = this._changes.map((change) => [change.path, change.value]);
      this._changes = [];
      return changes;
    }

    /** Whether the SCO wrote anything since the last takeChanges(). */
    hasChanges() {
      return this._changes.length > 0;
    }

    /**
     * Replay [element, value] pairs with the SCO's rules, all or nothing
     * (CMIRuntime.apply_changes); returns [] or [{element, value, code, condition, detail}].
     */
    applyChanges(pairs) {
      const work = { values: new Map(this._store.values), counts: new Map(this._store.counts) };
      for (const [name, value] of pairs) {
        try {
          this._set(work, text(name), text(value));
        } catch (error) {
          if (!(error instanceof DataModelError)) throw error;
          const { condition, detail } = error;
          return [{ element: name, value, code: this._code(condition), condition, detail }];
        }
      }
      this._store = work;
      return [];
    }

    // --- state machine (rte-api.md section 3) ------------------------------------------------

    _call(method) {
      return this._guarded(() => {
        method();
        return "true";
      }, "false");
    }

    /** Run one API call: its error (or none) becomes the last error; nothing escapes. */
    _guarded(action, failed) {
      let result;
      try {
        result = action();
      } catch (error) {
        const known = error instanceof DataModelError;
        this._last = known ? error : fail("GENERAL_EXCEPTION", String(error).slice(0, 200));
        return failed;
      }
      this._last = NO_ERROR;
      return result;
    }

    _refuse(before, after, result) {
      const condition = this.phase === "not_initialized" ? before : after;
      this._last = fail(condition, `the session is ${this.phase.replace(/_/g, " ")}`);
      return result;
    }

    _checkState(argument, before, after) {
      if (argument !== "") throw fail("ARGUMENT_ERROR", 'the argument must be ""');
      if (this.phase === "not_initialized") throw fail(before, "Initialize has not been called");
      if (this.phase === "terminated") throw fail(after, "the session has terminated");
    }

    _initialize(argument) {
      if (argument !== "") throw fail("ARGUMENT_ERROR", 'the argument must be ""');
      if (this.phase === "running") {
        throw fail("ALREADY_INITIALIZED", "Initialize was already called");
      }
      if (this.phase === "terminated") {
        throw fail("INITIALIZE_AFTER_TERMINATE", "the session has terminated");
      }
      this.phase = "running";
    }

    _commit(argument) {
      this._checkState(argument, "COMMIT_BEFORE_INITIALIZE", "COMMIT_AFTER_TERMINATE");
      const { onCommit } = this._options;
      if (onCommit && onCommit({ final: false }) === false) {
        throw fail("COMMIT_FAILED", "the LMS could not store the data");
      }
    }

    _terminate(argument) {
      this._checkState(argument, "TERMINATE_BEFORE_INITIALIZE", "TERMINATE_AFTER_TERMINATE");
      const { onCommit, onTerminate } = this._options;
      const persisted = onTerminate ? onTerminate() : onCommit ? onCommit({ final: true }) : true;
      if (persisted === false) throw fail("TERMINATION_FAILED", "the LMS could not store the data");
      this.phase = "terminated";
    }

    _code(condition) {
      return this._codes.get(condition);
    }

    _errorString(code) {
      const known = this._texts.get(code);
      return known ? known.text : "";
    }

    // --- GetValue -------------------------------------------------------------------------------

    _get(name) {
      if (name === "") throw fail("EMPTY_GET_NAME", "no element name");
      const address = this.model.resolve(name);
      for (const level of address.levels) {
        if (address.badIndex || level.index >= this.count(level.path)) {
          throw fail("INDEX_OUT_OF_RANGE", `${cutCodePoints(name, 60)}: no record ${level.text}`);
        }
      }
      if (address.keyword !== null) return this._keyword(address);
      const element = this.model.elements.get(address.pattern);
      if (element.access === "WO") throw fail("WRITE_ONLY", `${address.pattern} is write-only`);
      if (this._sharedStore(address) && this._noRead.has(address.levels[0].index)) {
        throw fail("WRITE_ONLY", "the shared data map is not readable");
      }
      let value = this._store.values.get(address.path);
      if (value === "" && this._sharedStore(address) && this.sharedData.empty_is_unset) {
        value = undefined; // an emptied shared store holds nothing to read
      }
      if (element.computed && this._options.navValidity) {
        const request = address.pattern.slice(address.pattern.lastIndexOf(".") + 1);
        value = this._options.navValidity(request, address.argument) || value;
      }
      if (element.evaluation) value = this._evaluate(element.evaluation, value);
      if (value === undefined || value === null) value = element.default;
      if (value === undefined || value === null) {
        // 1.2 has no "not initialized" code: the condition maps to 0 there, and "" is the value.
        if (this._code("VALUE_NOT_INITIALIZED") === this._code("NO_ERROR")) return "";
        throw fail("VALUE_NOT_INITIALIZED", `${address.pattern} has no value yet`);
      }
      return value;
    }

    /** 2004 RTE 4.2.4.1 / 4.2.22.1: with a threshold, the measure decides (rules.evaluate). */
    _evaluate(evaluation, stored) {
      const threshold = this._store.values.get(evaluation.threshold) || "";
      if (threshold === "") return stored;
      const measure = this._store.values.get(evaluation.measure) || "";
      if (measure === "") return evaluation.unmeasured;
      return Number(measure) >= Number(threshold) ? evaluation.met : evaluation.unmet;
    }

    _keyword(address) {
      const { pattern, keyword } = address;
      const collection = this.model.collections.get(pattern);
      if (keyword === VERSION) {
        const { element, value } = this.versionKeyword; // the one element with a _version
        if (pattern !== element) throw fail("NO_VERSION", `only ${element}._version exists`);
        return value;
      }
      if (keyword === CHILDREN) {
        let children = this.model.groups.get(pattern);
        if (children === undefined && collection && collection.show_children) {
          children = collection.children;
        }
        if (children === undefined) throw fail("NO_CHILDREN", `${pattern} has no _children`);
        return children.join(",");
      }
      if (!collection) throw fail("NO_COUNT", `${pattern} is not a collection`);
      return String(this.count(address.path));
    }

    // --- SetValue -------------------------------------------------------------------------------

    _scoSetValue(name, value) {
      const written = this._set(this._store, name, value);
      if (written.erased.length) {
        const kept = (change) => !startsWithAny(change.path, written.erased);
        this._changes = this._changes.filter(kept);
      }
      this._record(written);
      return "true";
    }

    /**
     * Keep the change list short without breaking its replay: a write that neither created a
     * record nor touches an element others depend on (requires, unique, write-once, format)
     * only matters for its last value, so the next write of the same path replaces it.
     */
    _record({ path, pattern, stored, created }) {
      const replaceable = !created && !this._structural.has(pattern);
      let previous = -1;
      for (let i = this._changes.length - 1; i >= 0 && previous === -1; i--) {
        if (this._changes[i].path === path) previous = i;
      }
      if (previous !== -1 && this._changes[previous].replaceable) this._changes.splice(previous, 1);
      this._changes.push({ path, value: stored, replaceable });
    }

    /** Check and store one SCO write; returns what was written and what it erased. */
    _set(store, name, value) {
      if (name === "") throw fail("EMPTY_SET_NAME", "no element name");
      const address = this.model.resolve(name);
      if (address.keyword !== null) {
        throw fail("KEYWORD_IS_READ_ONLY", `${address.keyword} is a keyword`);
      }
      const element = this.model.elements.get(address.pattern);
      if (element.access === "RO") throw fail("READ_ONLY", `${address.pattern} is read-only`);
      if (this._sharedStore(address) && this._noWrite.has(address.levels[0].index)) {
        throw fail("READ_ONLY", "the shared data map is not writable");
      }
      this._checkIndexes(store, address);
      for (const required of element.requires) {
        if (!store.values.has(concreteFor(address, required))) {
          throw fail("DEPENDENCY_NOT_ESTABLISHED", `set ${required} first`);
        }
      }
      const kind = element.format_by
        ? store.values.get(concreteFor(address, element.format_by))
        : undefined;
      this._checkPatternCount(store, address, element, kind);
      const over = this._validate(address, element, value, kind);
      value = this._canonical(element, value, kind);
      this._checkUnique(store, address, element, value, kind);
      const stored = this._applySpm(address, element, value, over);
      const created = address.levels.some((level) => level.index === countIn(store, level.path));
      const erased = this._write(store, address, stored);
      return { path: address.path, pattern: address.pattern, stored, created, erased };
    }

    _sharedStore(address) {
      const shared = this.sharedData;
      return Boolean(shared) && address.pattern === `${shared.collection}.n.${shared.store}`;
    }

    /** 2004 RTE 4.1.4: packed arrays; a new record only at index == _count (351 / 201). */
    _checkIndexes(store, address) {
      for (const level of address.levels) {
        const count = countIn(store, level.path);
        const appendable = this.model.collections.get(level.pattern).appendable;
        if (address.badIndex || level.index > count || (level.index === count && !appendable)) {
          throw fail("SET_OUT_OF_ORDER", `${level.pattern}: index ${level.text}, _count ${count}`);
        }
      }
    }

    /** 2004: a type allows at most max_patterns correct_responses (351). */
    _checkPatternCount(store, address, element, kind) {
      if (element.type !== RESPONSE_PATTERN || !element.format_by) return;
      const limit = this.responses.types.get(kind).max_patterns;
      const level = address.levels[address.levels.length - 1];
      const count = countIn(store, level.path);
      if (limit !== null && level.index === count && count >= limit) {
        throw fail("MAX_COUNT_EXCEEDED", `a ${kind} interaction has ${limit} pattern`);
      }
    }

    /** Type, vocabulary, range and length; returns whether the value is over an SPM. */
    _validate(address, element, value, kind) {
      if (element.format_by) {
        if (this.responses.feedback) {
          this.responses.checkFeedback12(kind, value);
          return false;
        }
        return this.responses.check(this._responseFormat(element, kind), value);
      }
      const limits = this.policy.max_length || {};
      const limit = hasOwn(limits, address.pattern) ? limits[address.pattern] : null;
      const over = checkValue(this.model, element, value, limit);
      if (limit !== null && element.max_length !== null && codePoints(value) > element.max_length) {
        this._relax(address.path, codePoints(value), element.max_length, "accepted");
      }
      return over;
    }

    _responseFormat(element, kind) {
      const spec = this.responses.types.get(kind);
      return element.type === RESPONSE_PATTERN ? spec.pattern : spec.response;
    }

    /** A 2004 pattern or response in the form it is stored (Responses.canonical). */
    _canonical(element, value, kind) {
      if (!element.format_by || this.responses.feedback) return value;
      return this.responses.canonical(this._responseFormat(element, kind), value);
    }

    _checkUnique(store, address, element, value, kind) {
      const current = store.values.get(address.path);
      if (element.write_once && current !== undefined && current !== value) {
        throw fail("WRITE_ONCE", `${address.pattern} cannot change once set`);
      }
      let compare = null;
      if (element.type === RESPONSE_PATTERN && kind !== undefined) {
        compare = this.responses.types.get(kind).unique_patterns;
      }
      if (!element.unique && compare === null) return;
      const level = address.levels[address.levels.length - 1];
      const leaf = address.path.slice(`${level.path}.${level.text}.`.length);
      const count = countIn(store, level.path);
      for (let index = 0; index < count; index++) {
        const other = store.values.get(`${level.path}.${index}.${leaf}`);
        if (index === level.index || other === undefined) continue;
        const same =
          compare === null ? other === value : this.responses.same(compare, other, value);
        if (same) throw fail("NOT_UNIQUE", `${short(value)} is already used`);
      }
    }

    /** 2004: a value past its SPM is stored whole and logged; strict cuts text to the SPM. */
    _applySpm(address, element, value, over) {
      if (!over) return value;
      const rule = element.format_by ? null : element;
      const limit = rule ? rule.spm : null;
      const truncate =
        this.policy.over_spm === "truncate" &&
        rule !== null &&
        limit !== null &&
        this.textTypes.includes(rule.type);
      this._relax(address.path, codePoints(value), limit, truncate ? "truncated" : "stored whole");
      if (!truncate) return value;
      const prefix = codePoints(value) - measuredLength(this.model, value, rule.measure);
      return cutCodePoints(value, prefix + limit);
    }

    /** Store the value (creating records); returns the path prefixes a format change erased. */
    _write(store, address, value) {
      for (const level of address.levels) {
        if (level.index === countIn(store, level.path)) {
          store.counts.set(level.path, level.index + 1);
        }
      }
      const previous = store.values.get(address.path);
      store.values.set(address.path, value);
      const changed = previous !== undefined && previous !== value;
      if (!this.formatChangeErases || !changed) return [];
      const erased = this._formatDependents(address);
      if (!erased.length) return [];
      // A changed interaction type drops the patterns and response written for the old
      // format (ADL Sample RTE, SCORM_2004_DMElement.setValue).
      for (const key of [...store.values.keys()]) {
        if (startsWithAny(key, erased)) store.values.delete(key);
      }
      for (const prefix of erased) {
        if (prefix.endsWith(".")) store.counts.delete(prefix.slice(0, -1)); // a collection
      }
      return erased;
    }

    /** Path prefixes of the values whose format `address` picks (`record.correct_responses.`). */
    _formatDependents(address) {
      const parent = address.pattern.slice(0, address.pattern.lastIndexOf("."));
      const record = address.path.slice(0, address.path.lastIndexOf("."));
      const prefixes = [];
      for (const [pattern, element] of this.model.elements) {
        if (element.format_by !== address.pattern) continue;
        const first = pattern.slice(parent.length + 1).split(".")[0];
        const isCollection = this.model.collections.has(`${parent}.${first}`);
        const prefix = isCollection ? `${record}.${first}.` : `${record}.${first}`;
        if (!prefixes.includes(prefix)) prefixes.push(prefix);
      }
      return prefixes;
    }

    _relax(element, length, limit, action) {
      const relaxation = { element, length, limit, action, policy: this.policyName };
      this.relaxations.push(relaxation);
      try {
        if (this._options.onRelaxation) this._options.onRelaxation(relaxation);
      } catch (error) {
        // An observer's failure must not change the API's answer.
      }
    }

    /** Patterns whose writes other writes depend on, so the change list keeps each one. */
    _structuralPatterns() {
      const patterns = new Set();
      for (const [pattern, element] of this.model.elements) {
        element.requires.forEach((required) => patterns.add(required));
        if (element.format_by) patterns.add(element.format_by).add(pattern);
        if (element.unique || element.write_once) patterns.add(pattern);
      }
      return patterns;
    }

    // --- loading --------------------------------------------------------------------------------

    _tryLoad(name, value) {
      try {
        if (typeof value !== "string") throw fail("TYPE_MISMATCH", `${name} is not a string`);
        this._load(name, value);
      } catch (error) {
        const condition = error.condition || "GENERAL_EXCEPTION";
        this.loadErrors.push({ element: name, condition, detail: String(error.message) });
      }
    }

    /** Store an LMS value: creates records as needed; checks types, not access or SPMs. */
    _load(name, value) {
      const address = this.model.resolve(name);
      if (address.keyword !== null || address.badIndex) {
        throw fail("UNDEFINED_ELEMENT", `${short(name)} cannot be loaded`);
      }
      const element = this.model.elements.get(address.pattern);
      if (!element.format_by && !element.lms_values.includes(value)) {
        // types, but no length limit; an identifier may be loaded decoded (spaces)
        const checked = this.decodedUriElements.includes(address.pattern)
          ? value.replaceAll(" ", "%20")
          : value;
        checkValue(this.model, element, checked, 2 ** 30);
      }
      for (const level of address.levels) {
        this._store.counts.set(level.path, Math.max(this.count(level.path), level.index + 1));
      }
      this._store.values.set(address.path, value);
    }

    /**
     * adl.data records from the manifest's adlcp:map with their permissions. The player
     * page's state already holds the records (docs/runtime-protocol.md 2), so a map whose id
     * is there gives that record its permissions; any other map is appended, as
     * CMIRuntime(data_maps=...) does.
     */
    _loadDataMaps(dataMaps) {
      const shared = this.sharedData;
      if (!shared) return;
      const record = (index, field) => `${shared.collection}.${index}.${field}`;
      const count = this.count(shared.collection);
      const known = new Map();
      for (let index = 0; index < count; index++) {
        known.set(this._store.values.get(record(index, shared.id)), index);
      }
      let next = count;
      for (const map of dataMaps) {
        let index = known.get(map.id);
        if (index === undefined) {
          index = next++;
          this._tryLoad(record(index, shared.id), map.id);
        }
        if (typeof map.store === "string") this._tryLoad(record(index, shared.store), map.store);
        if (map.read_shared_data === false) this._noRead.add(index);
        if (map.write_shared_data === false) this._noWrite.add(index);
      }
    }
  }

  ScormRuntime.DataModelError = DataModelError;
  return ScormRuntime;
});

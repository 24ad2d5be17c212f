/*
 * Installed before any script of the player page runs (page.add_init_script): when
 * scorm-api.js assigns window.API or window.API_1484_11, the object is wrapped so that every
 * call the SCO makes is recorded in window.__scormCalls as {method, args, result, error},
 * error being GetLastError right after the call (null for the error methods themselves,
 * which the SCO calls on its own and which change nothing). The SCO finds the wrapper by
 * its usual discovery walk and gets exactly what the adapter answered.
 */
(() => {
  "use strict";
  if (window.top !== window) return; // the player page only, not the SCO's frames
  const calls = [];
  window.__scormCalls = calls;
  const ERROR_METHODS = /GetLastError|GetErrorString|GetDiagnostic/;

  function wrap(api, name) {
    const lastError = name === "API" ? "LMSGetLastError" : "GetLastError";
    const recorded = {};
    for (const key of Object.keys(api)) {
      const value = api[key];
      if (typeof value !== "function") {
        recorded[key] = value;
        continue;
      }
      recorded[key] = function (...args) {
        const result = value.apply(api, args);
        const error = ERROR_METHODS.test(key) ? null : String(api[lastError]());
        calls.push({ method: key, args: args.map(String), result: String(result), error });
        return result;
      };
    }
    return recorded;
  }

  for (const name of ["API", "API_1484_11"]) {
    let current;
    Object.defineProperty(window, name, {
      configurable: true,
      enumerable: true,
      get: () => current,
      set: (api) => {
        current = api && typeof api === "object" ? wrap(api, name) : api;
      },
    });
  }
})();

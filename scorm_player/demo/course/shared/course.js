/*
 * course.js: page helpers shared by the SCOs of the demo course.
 *
 *   Course.showCalls(session)   fills the "What this page reports to the LMS" panel
 *   Course.navButtons(session)  shows [data-nav] buttons only when the LMS allows the request
 *   Course.firstName(name)      "Doe, Jane" or "Jane Doe" -> "Jane"
 *   Course.focusHeading(el)     moves keyboard and screen-reader focus to a new view
 */
(function (global) {
  "use strict";

  var MAX_SHOWN = 250; // calls kept in the panel (a quiz submission makes about 80)
  var MAX_VALUE = 70; // characters of a value shown

  function quote(value) {
    var text = String(value);
    if (text.length > MAX_VALUE) text = text.slice(0, MAX_VALUE - 1) + "\u2026";
    return "\"" + text + "\"";
  }

  function describe(call) {
    return call.method + "(" + call.args.map(quote).join(", ") + ")";
  }

  function outcome(call) {
    if (call.note && /^not sent/.test(call.note)) return call.note;
    var text = call.method === "GetValue" ? (call.ok ? quote(call.value) : "\"\"") : String(call.ok);
    if (call.error) text += " \u2014 error " + call.error;
    if (call.note) text += " (" + call.note + ")";
    return text;
  }

  function callItem(doc, call) {
    var item = doc.createElement("li");
    var code = doc.createElement("code");
    code.textContent = describe(call);
    var result = doc.createElement("span");
    result.className = "lms-log__result" + (call.ok ? "" : " lms-log__result--error");
    result.textContent = "\u2192 " + outcome(call);
    item.appendChild(code);
    item.appendChild(doc.createTextNode(" "));
    item.appendChild(result);
    return item;
  }

  /** Render every call of `session` into the page's `.lms-log` panel, live. */
  function showCalls(session) {
    var doc = global.document;
    var panel = doc.querySelector(".lms-log");
    if (!panel) return;
    var list = panel.querySelector("ol");
    var count = panel.querySelector(".lms-log__count");
    var total = 0;
    function add(call) {
      total += 1;
      list.appendChild(callItem(doc, call));
      while (list.children.length > MAX_SHOWN) list.removeChild(list.firstChild);
      list.start = total - list.children.length + 1; // keep the numbers of the calls shown
      if (count) count.textContent = "(" + total + " call" + (total === 1 ? "" : "s") + ")";
      list.scrollTop = list.scrollHeight;
    }
    session.calls.forEach(add);
    session.onCall(add);
    panel.addEventListener("toggle", function () { list.scrollTop = list.scrollHeight; });
  }

  /**
   * Buttons marked data-nav="continue" (or "previous", ...) ask the LMS to navigate. They stay
   * hidden unless the LMS reports the request as valid: without an LMS, or when the player
   * cannot honour it, the learner uses the player's own controls, and a `.nav-hint` next to
   * the button (same parent) says so instead.
   */
  function navButtons(session, root) {
    var buttons = (root || global.document).querySelectorAll("[data-nav]");
    Array.prototype.forEach.call(buttons, function (button) {
      var request = button.getAttribute("data-nav");
      var hint = button.parentNode.querySelector(".nav-hint");
      button.hidden = !session.canNavigate(request);
      if (hint) hint.hidden = !button.hidden;
      if (!button.dataset.bound) {
        button.dataset.bound = "1";
        button.addEventListener("click", function () { session.navigate(request); });
      }
    });
  }

  /** The learner's first name from cmi.learner_name ("Doe, Jane" or "Jane Doe"). */
  function firstName(name) {
    name = String(name || "").replace(/^\{lang=[^}]*\}/, "").trim();
    if (!name) return "";
    var comma = name.indexOf(",");
    if (comma >= 0) return name.slice(comma + 1).trim().split(/\s+/)[0] || name.slice(0, comma);
    return name.split(/\s+/)[0];
  }

  /** Move focus to `heading` (tabindex=-1) so keyboard and screen-reader users follow a view change. */
  function focusHeading(heading) {
    if (!heading) return;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }

  global.Course = {
    showCalls: showCalls,
    navButtons: navButtons,
    firstName: firstName,
    focusHeading: focusHeading
  };
})(window);

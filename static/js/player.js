/*
 * player.js: the player around the SCO (web/player.py): table of contents, Previous /
 * Continue / Exit, SCO-driven navigation, the SCO in a new window, leaving the course.
 *
 * It works beside scorm-api.js, never inside it:
 * - after the adapter starts, it wraps the API's Terminate / LMSFinish to learn that the
 *   SCO ended (and read adl.nav.request), and the commit queue's onStatus to reload the
 *   TOC (GET /runtime/toc) after every acknowledged commit;
 * - to move on, it finishes the current SCO first: unloads it (its own unload handlers may
 *   call Terminate), calls Terminate on its behalf if it did not, and waits until the
 *   server acknowledged everything (scormPlayer.flush); then it opens the next launch with
 *   a full page load, `/launch/<token>?nav=<request>[&item=<target>]`, where the server
 *   decides and opens the next attempt (the adapter starts once per page).
 * - window.scormPlayer.state() is for tests: {current, delivered, items: {id: {status,
 *   enabled, hidden}}}.
 */
(function () {
  "use strict";

  const doc = document;
  const configElement = doc.getElementById("player-nav");
  if (!configElement) return;
  const config = JSON.parse(configElement.textContent);
  const blob = JSON.parse(doc.getElementById("scorm-runtime").textContent);
  const version = blob.version;
  const labels = config.labels;
  const narrow = window.matchMedia("(max-width: 60rem)");
  const DELIVERED = `scorm-player:delivered:${config.launch_path}`;
  const LEAVING_REQUESTS = ["exitAll", "abandonAll", "suspendAll"];

  let state = config.state;
  let busy = false; // a navigation is under way
  let leaving = false; // the SCO is being finished: its own Terminate starts nothing
  let popup = null;
  let refreshTimer = null;

  const player = () => window.scormPlayer || {};
  const runtime = () => player().runtime;
  const running = () => Boolean(runtime()) && runtime().phase === "running";
  const token = () => (player().queue && player().queue.token) || blob.token;
  const sleep = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));
  const $ = (selector, root) => (root || doc).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || doc).querySelectorAll(selector));

  // --- what was delivered in this window (tests read it through state()) ------------------

  const delivered = (() => {
    let list = [];
    try {
      list = JSON.parse(window.sessionStorage.getItem(DELIVERED) || "[]");
    } catch (error) {
      list = [];
    }
    if (config.fresh || !Array.isArray(list)) list = [];
    list.push(config.item.id);
    try {
      window.sessionStorage.setItem(DELIVERED, JSON.stringify(list));
    } catch (error) {
      // storage disabled: the list lives as long as the page
    }
    return list;
  })();

  function publicState() {
    const items = {};
    for (const entry of state.entries) {
      items[entry.id] = { status: entry.status, enabled: entry.enabled, hidden: !entry.visible };
    }
    return { current: state.current, delivered: delivered.slice(), items };
  }

  /**
   * adl.nav.request_valid.<request> as the player sees it now ("true" / "false"; undefined
   * for what it cannot tell), for the adapter's navValidity option (RTE 4.2.30).
   */
  function requestValid(request, argument) {
    if (request === "continue" || request === "previous") return String(Boolean(state.controls[request]));
    if (request !== "choice" && request !== "jump") return undefined;
    const match = /^\{target=([^}]*)\}$/.exec(argument || "");
    const target = match ? match[1] : argument;
    const entry = state.entries.find((e) => e.id === target);
    if (!entry) return "false";
    if (request === "jump" && typeof entry.jumpable === "boolean") return String(entry.jumpable);
    return String(Boolean(entry.enabled && (request === "jump" ? entry.launchable : true)));
  }

  // --- rendering the TOC, progress and controls --------------------------------------------

  function render() {
    for (const entry of state.entries) {
      const item = doc.getElementById(`toc-${entry.id}`);
      if (!item) continue;
      item.dataset.status = entry.status;
      const use = $(".toc__status use", item);
      if (use) use.setAttribute("href", `#i-${entry.status.replace(/ /g, "-")}`);
      // aria-disabled on a cluster would disable the parts inside it too (ARIA): a cluster
      // that cannot be chosen says so in data-enabled only, and still opens and closes.
      item.dataset.enabled = String(Boolean(entry.enabled));
      if (entry.enabled || item.hasAttribute("aria-expanded")) item.removeAttribute("aria-disabled");
      else item.setAttribute("aria-disabled", "true");
      const said = $(".toc__said", item);
      if (said) {
        const current = entry.id === state.current ? ", current" : "";
        said.textContent = `, ${labels[entry.status]}${entry.enabled ? "" : ", locked"}${current}`;
      }
    }
    const { completed, total } = state.progress;
    for (const text of $$("[data-progress-text]")) text.textContent = `${completed} of ${total} complete`;
    const meter = $(".bar .meter");
    if (meter) {
      meter.setAttribute("aria-valuenow", String(completed));
      meter.setAttribute("aria-valuemax", String(total));
      $(".meter__fill", meter).style.width = `${total ? (100 * completed) / total : 0}%`;
    }
    const hidden = new Set(state.hidden_controls);
    for (const name of ["previous", "continue", "exit", "exit-all", "suspend-all"]) {
      const button = $(`[data-nav="${name}"]`);
      if (!button) continue;
      button.hidden = hidden.has(name);
      if (name in state.controls) button.disabled = busy || !state.controls[name];
      else button.disabled = busy;
    }
    const footer = $(".controls");
    if (footer) {
      footer.hidden = ["previous", "continue"].every((name) => hidden.has(name));
    }
    const launchable = state.entries.filter((e) => e.launchable && e.visible);
    const position = launchable.findIndex((e) => e.id === state.current);
    const where = $("#where");
    if (where && position >= 0) where.textContent = `Part ${position + 1} of ${launchable.length}`;
  }

  async function refresh() {
    window.clearTimeout(refreshTimer);
    refreshTimer = null;
    try {
      const response = await window.fetch(config.endpoints.toc, {
        headers: { Authorization: `Bearer ${token()}`, Accept: "application/json" },
        cache: "no-store",
      });
      if (!response.ok) return false;
      state = await response.json();
      render();
      return true;
    } catch (error) {
      return false;
    }
  }

  function scheduleRefresh() {
    if (refreshTimer === null) refreshTimer = window.setTimeout(refresh, 150);
  }

  // --- messages on the stage ---------------------------------------------------------------

  function notice(title, text, actions) {
    const panel = doc.getElementById("stage-notice");
    $("#notice-title").textContent = title;
    $("#notice-text").textContent = text || "";
    const box = $("#notice-actions");
    box.replaceChildren();
    for (const [label, run, primary] of actions || []) {
      const button = doc.createElement("button");
      button.type = "button";
      button.className = `button${primary ? " button--primary" : ""}`;
      button.textContent = label;
      button.addEventListener("click", run);
      box.append(button);
    }
    panel.hidden = false;
  }

  function flash(message) {
    const element = doc.getElementById("player-message");
    element.textContent = message;
    element.hidden = false;
    window.clearTimeout(flash.timer);
    flash.timer = window.setTimeout(() => {
      element.hidden = true;
    }, 6000);
  }

  // --- finishing the SCO -------------------------------------------------------------------

  /** Wait until the server acknowledged everything; false if it cannot be reached. */
  async function settle() {
    const flush = player().flush;
    if (!flush) return true;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const queue = player().queue;
      if ((await flush()) || !queue || queue.stopped) return true;
      await sleep(500 * 2 ** attempt);
    }
    return false;
  }

  function unloadFrame() {
    const frame = doc.getElementById("sco-frame");
    if (!frame || !frame.getAttribute("src") || frame.getAttribute("src") === "about:blank") {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        window.clearTimeout(timer);
        resolve();
      };
      const timer = window.setTimeout(done, 3000);
      frame.addEventListener("load", done, { once: true });
      frame.setAttribute("src", "about:blank");
    });
  }

  async function unloadPopup(close) {
    if (!popup || popup.closed) return;
    try {
      if (close) popup.close();
      else popup.location.replace("about:blank");
    } catch (error) {
      return;
    }
    for (let i = 0; i < 30; i += 1) {
      await sleep(100);
      try {
        if (popup.closed || (popup.location.href === "about:blank" && popup.document.readyState === "complete")) return;
      } catch (error) {
        return;
      }
    }
  }

  /**
   * End the current SCO's session: unload it, Terminate on its behalf if it did not (the
   * LMS rules then run at the server), and wait for the acknowledgement. `suspend` keeps
   * the learner's place (2004 suspendAll; cmi.exit=suspend if the SCO is still running).
   */
  async function finishSco(options) {
    const suspend = Boolean(options && options.suspend);
    leaving = true;
    if (suspend && running() && version !== "1.2") runtime().setValue("adl.nav.request", "suspendAll");
    if (popup) await unloadPopup(Boolean(options && options.closeWindow));
    else await unloadFrame();
    if (running()) {
      if (suspend) runtime().setValue(version === "1.2" ? "cmi.core.exit" : "cmi.exit", "suspend");
      runtime().terminate("");
    }
    return settle();
  }

  // --- navigation --------------------------------------------------------------------------

  /**
   * What a request leads to now; with `carryOut` (once the SCO has ended) the server also
   * carries it out and records it (exit, exitAll, suspendAll, abandon...).
   */
  async function ask(request, target, carryOut) {
    try {
      const response = await window.fetch(config.endpoints.navigate, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({
          token: token(), request, target: target || null, carry_out: Boolean(carryOut),
        }),
      });
      const body = await response.json();
      if (!response.ok) return { kind: "error", message: body.message || "" };
      return body;
    } catch (error) {
      return { kind: "error", message: "" };
    }
  }

  /** The launch of an item the server has already delivered (a carried-out request). */
  function itemUrl(item) {
    const query = new URLSearchParams(config.keep);
    query.set("item", item);
    return `${config.launch_path}?${query}`;
  }

  function launchUrl(request, target) {
    const query = new URLSearchParams(config.keep);
    query.set("nav", request);
    if (target) query.set("item", target);
    return `${config.launch_path}?${query}`;
  }

  function setBusy(value) {
    busy = value;
    doc.body.classList.toggle("is-busy", value);
    render();
  }

  /**
   * Carry out a navigation request (a control, a TOC choice, or the SCO's adl.nav.request):
   * ask the server what it leads to, finish the SCO, then open the next launch or leave.
   */
  async function navigate(request, target, options) {
    const fromSco = Boolean(options && options.fromSco);
    if (busy) return false;
    setBusy(true);
    try {
      await settle();
      const decision = LEAVING_REQUESTS.includes(request)
        ? { kind: "exit", suspend: request === "suspendAll" }
        : await ask(request, target);
      if (decision.kind === "error") {
        flash(decision.message || "The course could not be reached. Check your connection and try again.");
        return false;
      }
      if (decision.kind === "refused") {
        flash(decision.message);
        if (fromSco) sessionEnded();
        return false;
      }
      if (decision.kind === "stay") {
        await finishSco();
        // Sequencing may still deliver something (an exit rule, a post-condition).
        const done = await ask(request, target, true);
        if (done.kind === "deliver" && done.item) {
          window.location.assign(itemUrl(done.item));
          return true;
        }
        if (done.kind === "exit") return await leave(Boolean(done.suspend));
        await refresh();
        sessionEnded();
        return true;
      }
      if (decision.kind === "exit") return await leave(Boolean(decision.suspend), request, target);
      if (!(await finishSco())) {
        notice("Your progress is not saved yet", "Check your connection, then try again.", [
          ["Try again", () => navigate(request, target, options), true],
        ]);
        return false;
      }
      // The launch decides again, on what the server now knows, and opens the attempt.
      window.location.assign(launchUrl(request, target));
      return true;
    } finally {
      setBusy(false);
    }
  }

  /**
   * Exit (or suspend and exit): finish the SCO, have the server carry the request out (the
   * sequencer records the end of the session), then the return address or the exit page.
   * Without `request` the session has already been ended at the server.
   */
  async function leave(suspend, request, target) {
    const saved = await finishSco({ suspend, closeWindow: true });
    if (!saved) {
      notice("Your progress is not saved yet", "Check your connection, then try again.", [
        ["Try again", () => leave(suspend, request, target), true],
      ]);
      return false;
    }
    if (request) await ask(request, target, true);
    try {
      window.sessionStorage.removeItem(DELIVERED);
    } catch (error) {
      // nothing to clear
    }
    window.location.assign(config.exit_url);
    return true;
  }

  /** The SCO ended and nothing new was delivered: say so, point at what comes next. */
  function sessionEnded() {
    const next = state.controls.continue
      ? [["Continue", () => navigate("continue"), true]]
      : [];
    notice(`“${config.item.title}” has ended`, "Choose a part in the contents, or continue.", next);
  }

  /** The SCO called Terminate / LMSFinish: carry out its navigation request, if any. */
  function afterTerminate() {
    if (leaving) return;
    window.setTimeout(async () => {
      const values = runtime() ? runtime().values : {};
      let value = version === "1.2" ? "" : values["adl.nav.request"] || "";
      // A SCO that ends with cmi.exit time-out (or the deprecated logout) and asks for
      // nothing else ends the course (RTE 4.2.8): exitAll.
      if ((value === "" || value === "_none_") && version !== "1.2"
          && ["time-out", "logout"].includes(values["cmi.exit"])) value = "exitAll";
      const match = /^\{target=([^}]*)\}(choice|jump)$/.exec(value);
      const request = match ? match[2] : value;
      if (request && request !== "_none_") {
        await navigate(request, match ? match[1] : null, { fromSco: true });
      } else {
        await settle();
        await refresh();
      }
    }, 0);
  }

  // --- the contents tree -------------------------------------------------------------------

  const tree = $(".toc__tree");

  function visibleItems() {
    return $$('[role="treeitem"]', tree).filter((item) => {
      for (let node = item.parentElement; node && node !== tree; node = node.parentElement) {
        if (node.getAttribute("role") === "treeitem" && node.getAttribute("aria-expanded") === "false") {
          return false;
        }
      }
      return true;
    });
  }

  function focusItem(item) {
    if (!item) return;
    for (const other of $$('[role="treeitem"]', tree)) other.tabIndex = -1;
    item.tabIndex = 0;
    item.focus();
  }

  function toggle(item, open) {
    if (!item.hasAttribute("aria-expanded")) return false;
    const expanded = item.getAttribute("aria-expanded") === "true";
    const next = open === undefined ? !expanded : open;
    item.setAttribute("aria-expanded", String(next));
    return expanded !== next;
  }

  function activate(item) {
    // A cluster opens or closes, unless sequencing lets the learner choose it (SCORM 2004:
    // a choice of a cluster flows into it).
    const cluster = item.hasAttribute("aria-expanded");
    if (cluster && (item.dataset.nav !== "choice" || item.dataset.enabled === "false")) {
      toggle(item);
      return;
    }
    if (item.getAttribute("aria-disabled") === "true") {
      flash(`“${$(".toc__title", item).textContent}” is not available yet: complete the parts it requires first.`);
      return;
    }
    if (item.dataset.itemId === state.current && !leaving) {
      closeDrawer();
      return;
    }
    navigate("choice", item.dataset.itemId);
  }

  function parentItem(item) {
    const group = item.parentElement;
    return group && group !== tree ? group.closest('[role="treeitem"]') : null;
  }

  if (tree) {
    tree.addEventListener("click", (event) => {
      const item = event.target.closest('[role="treeitem"]');
      if (!item || !event.target.closest(".toc__row")) return;
      focusItem(item);
      activate(item);
    });
    tree.addEventListener("keydown", (event) => {
      const item = event.target.closest('[role="treeitem"]');
      if (!item) return;
      const items = visibleItems();
      const index = items.indexOf(item);
      const key = event.key;
      if (key === "ArrowDown") focusItem(items[index + 1]);
      else if (key === "ArrowUp") focusItem(items[index - 1]);
      else if (key === "Home") focusItem(items[0]);
      else if (key === "End") focusItem(items[items.length - 1]);
      else if (key === "ArrowRight") {
        if (!toggle(item, true) && item.hasAttribute("aria-expanded")) {
          focusItem($('[role="treeitem"]', item));
        }
      } else if (key === "ArrowLeft") {
        if (!toggle(item, false)) focusItem(parentItem(item));
      } else if (key === "Enter" || key === " ") activate(item);
      else return;
      event.preventDefault();
    });
  }

  // --- the drawer ----------------------------------------------------------------------------

  const toggleButton = $('[data-nav="toc-toggle"]');

  function drawerOpen() {
    return narrow.matches ? doc.body.classList.contains("toc-open") : !doc.body.classList.contains("toc-collapsed");
  }

  function syncToggle() {
    if (toggleButton) toggleButton.setAttribute("aria-expanded", String(drawerOpen()));
  }

  function openDrawer() {
    if (narrow.matches) doc.body.classList.add("toc-open");
    else doc.body.classList.remove("toc-collapsed");
    syncToggle();
    if (narrow.matches) {
      window.setTimeout(() => focusItem($('[role="treeitem"][tabindex="0"]', tree) || $('[role="treeitem"]', tree)), 50);
    }
  }

  function closeDrawer(returnFocus) {
    if (!narrow.matches) return;
    const wasOpen = doc.body.classList.contains("toc-open");
    doc.body.classList.remove("toc-open");
    syncToggle();
    if (wasOpen && returnFocus && toggleButton) toggleButton.focus();
  }

  if (toggleButton) {
    toggleButton.addEventListener("click", () => {
      if (!drawerOpen()) openDrawer();
      else if (narrow.matches) closeDrawer(true);
      else {
        doc.body.classList.add("toc-collapsed");
        syncToggle();
      }
    });
  }
  for (const closer of $$('[data-nav="toc-close"], [data-action="toc-close"]')) closer.addEventListener("click", () => closeDrawer(true));
  doc.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && narrow.matches && doc.body.classList.contains("toc-open")) closeDrawer(true);
  });
  narrow.addEventListener("change", () => {
    doc.body.classList.remove("toc-open");
    syncToggle();
  });

  // --- controls ----------------------------------------------------------------------------

  const CONTROLS = {
    previous: () => navigate("previous"),
    continue: () => navigate("continue"),
    exit: () => navigate("exitAll"),
    "exit-all": () => navigate("exitAll"),
    "suspend-all": () => navigate("suspendAll"),
  };
  for (const [name, run] of Object.entries(CONTROLS)) {
    const button = $(`[data-nav="${name}"]`);
    if (button) button.addEventListener("click", run);
  }

  // --- the SCO in a new window -----------------------------------------------------------------

  function windowPanel(title, text, label) {
    $("#window-title").textContent = title;
    $("#window-text").textContent = text;
    $('[data-action="open-window"]').textContent = label;
  }

  let windowAction = openWindow;

  function openWindow() {
    const name = `scorm-player-sco-${config.registration}`;
    if (popup && !popup.closed) {
      popup.focus();
      return;
    }
    popup = window.open(blob.launch_url, name);
    if (!popup) {
      windowPanel(
        "Your browser blocked the new window",
        "Allow pop-up windows for this site, or open the part yourself.",
        `Open “${config.item.title}”`,
      );
      return;
    }
    windowPanel(
      `“${config.item.title}” is open in another window`,
      "Keep this page open: it saves your progress and takes you to the next part.",
      "Show the window",
    );
    const watch = window.setInterval(() => {
      if (!popup || !popup.closed || leaving) return;
      window.clearInterval(watch);
      windowClosed();
    }, 500);
  }

  async function windowClosed() {
    await settle();
    await refresh();
    windowPanel(
      "The window was closed",
      "Your progress is saved. Open the part again, or choose another one.",
      `Open “${config.item.title}” again`,
    );
    windowAction = () => window.location.assign(launchUrl("choice", config.item.id));
  }

  // --- start ---------------------------------------------------------------------------------

  function hookAdapter() {
    const api = window[version === "1.2" ? "API" : "API_1484_11"];
    const method = version === "1.2" ? "LMSFinish" : "Terminate";
    if (api && typeof api[method] === "function") {
      const original = api[method];
      api[method] = function (argument) {
        const result = original.call(this, argument);
        if (String(result) === "true") afterTerminate();
        return result;
      };
    }
    const queue = player().queue;
    if (queue && typeof queue.onStatus === "function") {
      const onStatus = queue.onStatus;
      queue.onStatus = function (kind, detail) {
        onStatus.call(this, kind, detail);
        if (kind === "saved") scheduleRefresh();
      };
    }
  }

  function start() {
    hookAdapter();
    if (narrow.matches) doc.body.classList.remove("toc-open");
    syncToggle();
    render();
    const current = tree && $('[role="treeitem"][aria-current]', tree);
    if (current) current.scrollIntoView({ block: "nearest" });
    if (config.window === "new") {
      const button = $('[data-action="open-window"]');
      if (button) button.addEventListener("click", () => windowAction());
      openWindow();
    }
  }

  window.scormPlayer = Object.assign(window.scormPlayer || {}, {
    state: publicState,
    requestValid,
    navigate: (request, target) => navigate(request, target),
    refresh,
  });
  // After scorm-api.js: it starts on DOMContentLoaded too, and registered first.
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start);
  else start();
})();

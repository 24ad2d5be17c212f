/*
 * Lesson SCO: four pages with Back/Next and a bookmark.
 *
 * Reports, on every page:
 *   cmi.location        the page shown, "1".."4" (the bookmark)
 *   cmi.suspend_data    {"v":1,"visited":[1,2,...]}, the pages seen so far
 *   cmi.progress_measure  pages seen / pages, e.g. 0.5
 * and, when they change:
 *   cmi.completion_status  incomplete, then completed once every page has been seen
 *   cmi.exit               suspend until then (so the next launch resumes), normal after
 * On a launch with cmi.entry = resume it reads cmi.location and cmi.suspend_data back and
 * opens the saved page.
 */
(function () {
  "use strict";

  var session = Scorm.start();
  Course.showCalls(session);

  var pages = Array.prototype.slice.call(document.querySelectorAll("[data-page]"));
  var total = pages.length;
  var el = {
    back: document.getElementById("back"),
    next: document.getElementById("next"),
    toQuiz: document.getElementById("to-quiz"),
    finishHint: document.getElementById("finish-hint"),
    label: document.getElementById("page-label"),
    progress: document.getElementById("progress"),
    bar: document.getElementById("progress-bar"),
    resume: document.getElementById("resume-notice"),
    resumePage: document.getElementById("resume-page"),
    restart: document.getElementById("restart"),
    done: document.getElementById("done-notice")
  };

  var current = 1;
  var visited = [];
  var reported = { completion: null, exit: null };

  function validPage(n) {
    return n === Math.floor(n) && n >= 1 && n <= total;
  }

  /** The pages seen, from cmi.suspend_data; a value we cannot read counts as nothing seen. */
  function readVisited(text) {
    try {
      var saved = JSON.parse(text);
      if (saved && Array.isArray(saved.visited)) {
        return saved.visited.filter(function (n, i, all) {
          return validPage(n) && all.indexOf(n) === i;
        });
      }
    } catch (e) { /* empty or not ours */ }
    return [];
  }

  /** Restore the bookmark on a resumed attempt; returns the page to open. */
  function restore() {
    if (session.get("cmi.entry") !== "resume") return 1;
    visited = readVisited(session.get("cmi.suspend_data"));
    var page = parseInt(session.get("cmi.location"), 10);
    return validPage(page) ? page : 1;
  }

  function finished() {
    return visited.length === total;
  }

  /** Write the bookmark, progress and status for the page now shown, then commit. */
  function report() {
    var complete = finished();
    session.set("cmi.location", String(current));
    session.set("cmi.suspend_data", JSON.stringify({ v: 1, visited: visited }));
    session.set("cmi.progress_measure", String(Math.round((visited.length / total) * 10000) / 10000));
    var completion = complete ? "completed" : "incomplete";
    if (reported.completion !== completion) {
      session.set("cmi.completion_status", completion);
      reported.completion = completion;
    }
    var exit = complete ? "normal" : "suspend";
    if (reported.exit !== exit) {
      session.set("cmi.exit", exit);
      reported.exit = exit;
    }
    session.commit();
  }

  function show(page, moveFocus) {
    current = page;
    if (visited.indexOf(page) < 0) {
      visited.push(page);
      visited.sort(function (a, b) { return a - b; });
    }
    pages.forEach(function (section) {
      section.hidden = Number(section.getAttribute("data-page")) !== page;
    });

    var onLast = page === total;
    el.label.textContent = "Page " + page + " of " + total;
    el.progress.setAttribute("aria-valuenow", String(visited.length));
    el.progress.setAttribute("aria-valuetext", visited.length + " of " + total + " pages seen");
    el.bar.style.width = (visited.length / total) * 100 + "%";
    el.back.hidden = page === 1;
    el.next.hidden = onLast;
    el.done.hidden = !(onLast && finished());

    report();

    if (onLast) {
      Course.navButtons(session, el.toQuiz.parentNode);
    } else {
      el.toQuiz.hidden = true;
      el.finishHint.hidden = true;
    }
    if (moveFocus) {
      Course.focusHeading(pages[page - 1].querySelector("h1"));
      window.scrollTo(0, 0);
    }
  }

  el.back.addEventListener("click", function () {
    if (current > 1) show(current - 1, true);
  });
  el.next.addEventListener("click", function () {
    if (current < total) show(current + 1, true);
  });
  el.restart.addEventListener("click", function () {
    el.resume.hidden = true;
    show(1, true);
  });

  var start = restore();
  if (start > 1) {
    el.resumePage.textContent = String(start);
    el.resume.hidden = false;
  }
  show(start, false);
})();

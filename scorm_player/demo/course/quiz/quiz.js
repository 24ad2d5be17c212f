/*
 * Quiz SCO: the questions of questions.js, one per screen, scored on submit.
 *
 * Reports on submit (RTE 4.2.9, 4.2.17, 4.2.20, 4.2.22):
 *   cmi.interactions.n.{id, type, objectives.0.id, timestamp, correct_responses.k.pattern,
 *     weighting, learner_response, result, latency, description}, one record per question,
 *     appended after any records already there (a retry adds a new set);
 *   cmi.score.{min, max, raw, scaled}: questions right out of questions asked;
 *   cmi.success_status: passed when score.scaled >= cmi.scaled_passing_score (0.8 by default);
 *   cmi.completion_status = completed, cmi.progress_measure = 1, cmi.exit = normal;
 *   cmi.objectives.n for the primary objective: score, success_status, completion_status.
 * On launch it reports cmi.completion_status = incomplete (unless a resumed attempt had
 * already finished the quiz).
 */
(function () {
  "use strict";

  var QUIZ = window.QUIZ;
  var questions = QUIZ.questions;
  var session = Scorm.start();
  Course.showCalls(session);

  var $ = function (id) { return document.getElementById(id); };
  var view = {
    intro: $("intro"),
    question: $("question-view"),
    results: $("results"),
    form: $("question-form"),
    slot: $("question-slot"),
    error: $("question-error"),
    label: $("question-label"),
    bar: $("progress-bar"),
    back: $("back"),
    next: $("next"),
    announce: $("announce")
  };

  /** A small element builder: node("p", { className: "x", text: "y" }, [children]). */
  function node(tag, props, children) {
    var element = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (key === "className") element.className = value;
      else if (key === "text") element.textContent = value;
      else if (key === "html") element.innerHTML = value; // only for our own static SVG
      else if (key.slice(0, 2) === "on") element.addEventListener(key.slice(2), value);
      else if (value === true) element.setAttribute(key, "");
      else if (value !== false && value !== null && value !== undefined) element.setAttribute(key, value);
    });
    (children || []).forEach(function (child) {
      if (child) element.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return element;
  }

  var ARROW_UP = '<svg viewBox="0 0 20 20" aria-hidden="true" focusable="false"><path d="M10 16V4m-5 5l5-5 5 5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>';
  var ARROW_DOWN = '<svg viewBox="0 0 20 20" aria-hidden="true" focusable="false"><path d="M10 4v12m-5-5l5 5 5-5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>';

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (x) { return b.indexOf(x) >= 0; });
  }

  /** Free text as a fill-in response: trimmed, without the characters SCORM reserves. */
  function cleanText(text) {
    return String(text).replace(/[[\]{}]/g, "").replace(/\s+/g, " ").trim().slice(0, 250);
  }

  var NUMBER = /^-?\d{1,9}(\.\d{1,7})?$/;

  /*
   * One entry per interaction type:
   *   initial(q)            the answer before the learner does anything
   *   render(q, answer, set) the controls, calling set(newAnswer) on every change
   *   missing(q, answer)    why the answer is not complete yet, or "" when it is
   *   response(q, answer)   cmi.interactions.n.learner_response
   *   patterns(q)           cmi.interactions.n.correct_responses.k.pattern, k = 0, 1, ...
   *   correct(q, answer)    whether the answer is right
   */
  var KINDS = {
    "choice": {
      initial: function () { return []; },
      render: function (q, answer, set) {
        return node("div", { className: "options" }, q.options.map(function (option) {
          return node("label", { className: "option" }, [
            node("input", {
              type: "checkbox", name: "answer", value: option.id, checked: answer.indexOf(option.id) >= 0,
              onchange: function () {
                var boxes = view.slot.querySelectorAll("input[name=answer]");
                set(Array.prototype.filter.call(boxes, function (b) { return b.checked; })
                  .map(function (b) { return b.value; }));
              }
            }),
            node("span", { text: option.label })
          ]);
        }));
      },
      missing: function (q, answer) { return answer.length ? "" : "Choose at least one answer."; },
      response: function (q, answer) { return answer.join("[,]"); },
      patterns: function (q) { return [q.correct.join("[,]")]; },
      correct: function (q, answer) { return sameSet(answer, q.correct); }
    },

    "true-false": {
      initial: function () { return ""; },
      render: function (q, answer, set) {
        return node("div", { className: "options" }, [["true", "True"], ["false", "False"]].map(function (pair) {
          return node("label", { className: "option" }, [
            node("input", {
              type: "radio", name: "answer", value: pair[0], checked: answer === pair[0],
              onchange: function (event) { set(event.target.value); }
            }),
            node("span", { text: pair[1] })
          ]);
        }));
      },
      missing: function (q, answer) { return answer ? "" : "Choose true or false."; },
      response: function (q, answer) { return answer; },
      patterns: function (q) { return [String(q.correct)]; },
      correct: function (q, answer) { return answer === String(q.correct); }
    },

    "fill-in": {
      initial: function () { return ""; },
      render: function (q, answer, set) {
        return node("div", {}, [
          node("label", { className: "field-label", "for": "answer-input", text: q.label }),
          node("input", {
            className: "text-input", id: "answer-input", type: "text", value: answer,
            autocomplete: "off", autocapitalize: "off", spellcheck: "false", maxlength: "250",
            oninput: function (event) { set(event.target.value); }
          })
        ]);
      },
      missing: function (q, answer) { return cleanText(answer) ? "" : "Type your answer."; },
      response: function (q, answer) { return cleanText(answer); },
      // Each accepted spelling is its own pattern; case does not matter (the default).
      patterns: function (q) { return q.correct.slice(); },
      correct: function (q, answer) {
        var given = cleanText(answer).toLowerCase().replace(/^data\s+/, "");
        return q.correct.indexOf(given) >= 0;
      }
    },

    "matching": {
      initial: function () { return {}; },
      render: function (q, answer, set) {
        return node("div", { className: "match-rows" }, q.sources.map(function (source) {
          var id = "match-" + source.id;
          var choices = [node("option", { value: "", text: "Choose\u2026" })].concat(q.targets.map(function (target) {
            return node("option", { value: target.id, text: target.label, selected: answer[source.id] === target.id });
          }));
          return node("div", { className: "match-row" }, [
            node("label", { "for": id, text: source.label }),
            node("select", {
              className: "select", id: id,
              onchange: function (event) {
                var next = {};
                Object.keys(answer).forEach(function (k) { next[k] = answer[k]; });
                if (event.target.value) next[source.id] = event.target.value;
                else delete next[source.id];
                answer = next;
                set(next);
              }
            }, choices)
          ]);
        }));
      },
      missing: function (q, answer) {
        return q.sources.every(function (s) { return answer[s.id]; }) ? "" : "Choose an answer for each example.";
      },
      response: function (q, answer) {
        return q.sources.map(function (s) { return s.id + "[.]" + answer[s.id]; }).join("[,]");
      },
      patterns: function (q) {
        return [q.correct.map(function (pair) { return pair[0] + "[.]" + pair[1]; }).join("[,]")];
      },
      correct: function (q, answer) {
        return q.correct.every(function (pair) { return answer[pair[0]] === pair[1]; });
      }
    },

    "sequencing": {
      initial: function (q) { return q.startOrder.slice(); },
      render: function (q, answer, set) {
        var list = node("ol", { className: "order-list" });
        var labels = {};
        q.items.forEach(function (item) { labels[item.id] = item.label; });

        function move(from, to, direction) {
          var order = answer.slice();
          var moved = order.splice(from, 1)[0];
          order.splice(to, 0, moved);
          answer = order;
          set(order);
          draw();
          var button = list.children[to].querySelector("[data-move=" + direction + "]");
          if (button.disabled) button = list.children[to].querySelector("button:not(:disabled)");
          button.focus();
          view.announce.textContent = labels[moved] + ": now step " + (to + 1) + " of " + order.length + ".";
        }

        function draw() {
          list.textContent = "";
          answer.forEach(function (id, i) {
            list.appendChild(node("li", { className: "order-item" }, [
              node("span", { className: "order-item__text", text: labels[id] }),
              node("span", { className: "order-item__moves" }, [
                node("button", {
                  type: "button", className: "icon-btn", "data-move": "up", html: ARROW_UP,
                  "aria-label": "Move \u201c" + labels[id] + "\u201d up", disabled: i === 0,
                  onclick: function () { move(i, i - 1, "up"); }
                }),
                node("button", {
                  type: "button", className: "icon-btn", "data-move": "down", html: ARROW_DOWN,
                  "aria-label": "Move \u201c" + labels[id] + "\u201d down", disabled: i === answer.length - 1,
                  onclick: function () { move(i, i + 1, "down"); }
                })
              ])
            ]));
          });
        }

        draw();
        return list;
      },
      missing: function () { return ""; },
      response: function (q, answer) { return answer.join("[,]"); },
      patterns: function (q) { return [q.correct.join("[,]")]; },
      correct: function (q, answer) { return answer.join() === q.correct.join(); }
    },

    "numeric": {
      initial: function () { return ""; },
      render: function (q, answer, set) {
        return node("div", {}, [
          node("label", { className: "field-label", "for": "answer-input", text: q.label }),
          node("input", {
            className: "text-input text-input--short", id: "answer-input", type: "text", inputmode: "decimal",
            value: answer, autocomplete: "off", maxlength: "18",
            oninput: function (event) { set(event.target.value); }
          })
        ]);
      },
      missing: function (q, answer) {
        return NUMBER.test(answer.trim()) ? "" : "Enter a number, for example 24.";
      },
      // A real(10,7): the number as typed, without a sign on zero or leading zeros.
      response: function (q, answer) { return String(Number(answer.trim())); },
      patterns: function (q) { return [q.correct + "[:]" + q.correct]; },
      correct: function (q, answer) { return Number(answer.trim()) === q.correct; }
    }
  };

  // --- Attempt state ---------------------------------------------------------------------

  var attempt = null; // { index, answers[], shownAt[], spent[], viewStart }
  var objectiveIndex = null;

  function passingScore() {
    var value = parseFloat(session.get("cmi.scaled_passing_score"));
    return isFinite(value) && value >= -1 && value <= 1 ? value : QUIZ.defaultPassingScore;
  }

  var passing = passingScore();

  function percent(scaled) {
    return Math.round(scaled * 100) + "%";
  }

  function showOnly(section) {
    [view.intro, view.question, view.results].forEach(function (s) { s.hidden = s !== section; });
  }

  function beginAttempt() {
    attempt = {
      index: 0,
      answers: questions.map(function (q) { return KINDS[q.type].initial(q); }),
      shownAt: [],
      spent: questions.map(function () { return 0; }),
      viewStart: 0
    };
    showOnly(view.question);
    showQuestion(0);
  }

  /** Add the time spent on the question on screen to its latency. */
  function leaveQuestion() {
    attempt.spent[attempt.index] += Date.now() - attempt.viewStart;
  }

  function showQuestion(index) {
    var q = questions[index];
    attempt.index = index;
    attempt.viewStart = Date.now();
    if (!attempt.shownAt[index]) attempt.shownAt[index] = new Date();

    var title = node("h1", { className: "question__title", id: "question-title", tabindex: "-1", text: q.text });
    var controls = KINDS[q.type].render(q, attempt.answers[index], function (answer) {
      attempt.answers[index] = answer;
      view.error.textContent = "";
    });
    view.slot.textContent = "";
    view.slot.appendChild(node("fieldset", { className: "question", "aria-describedby": "question-hint" }, [
      node("legend", {}, [title]),
      node("p", { className: "question__hint", id: "question-hint", text: q.hint }),
      controls
    ]));
    view.error.textContent = "";
    view.label.textContent = "Question " + (index + 1) + " of " + questions.length;
    view.bar.style.width = ((index + 1) / questions.length) * 100 + "%";
    view.back.hidden = index === 0;
    view.next.textContent = index === questions.length - 1 ? "Submit answers" : "Next";
    Course.focusHeading(title);
  }

  view.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = questions[attempt.index];
    var problem = KINDS[q.type].missing(q, attempt.answers[attempt.index]);
    if (problem) {
      view.error.textContent = problem;
      var first = view.slot.querySelector("input, select, button");
      if (first) first.focus();
      return;
    }
    leaveQuestion();
    if (attempt.index < questions.length - 1) showQuestion(attempt.index + 1);
    else submit();
  });

  view.back.addEventListener("click", function () {
    leaveQuestion();
    showQuestion(attempt.index - 1);
  });

  // --- Reporting -------------------------------------------------------------------------

  function recordInteractions(results) {
    var first = parseInt(session.get("cmi.interactions._count"), 10) || 0;
    questions.forEach(function (q, i) {
      var kind = KINDS[q.type];
      var answer = attempt.answers[i];
      var base = "cmi.interactions." + (first + i) + ".";
      session.set(base + "id", q.id);
      session.set(base + "type", q.type);
      session.set(base + "objectives.0.id", QUIZ.objectiveId);
      session.set(base + "timestamp", Scorm.timestamp(attempt.shownAt[i]));
      kind.patterns(q).forEach(function (pattern, k) {
        session.set(base + "correct_responses." + k + ".pattern", pattern);
      });
      session.set(base + "weighting", "1");
      session.set(base + "learner_response", kind.response(q, answer));
      session.set(base + "result", results[i] ? "correct" : "incorrect");
      session.set(base + "latency", Scorm.isoDuration(attempt.spent[i]));
      session.set(base + "description", q.text);
    });
  }

  /** The cmi.objectives index of the quiz objective; the LMS usually pre-loads it. */
  function findObjective() {
    if (objectiveIndex !== null) return objectiveIndex;
    var count = parseInt(session.get("cmi.objectives._count"), 10) || 0;
    for (var i = 0; i < count; i++) {
      if (session.get("cmi.objectives." + i + ".id") === QUIZ.objectiveId) return (objectiveIndex = i);
    }
    session.set("cmi.objectives." + count + ".id", QUIZ.objectiveId);
    return (objectiveIndex = count);
  }

  function recordScore(raw, max, scaled, passed) {
    var status = passed ? "passed" : "failed";
    session.set("cmi.score.min", "0");
    session.set("cmi.score.max", String(max));
    session.set("cmi.score.raw", String(raw));
    session.set("cmi.score.scaled", String(scaled));
    session.set("cmi.success_status", status);
    session.set("cmi.completion_status", "completed");
    session.set("cmi.progress_measure", "1");
    session.set("cmi.exit", "normal");

    var base = "cmi.objectives." + findObjective() + ".";
    session.set(base + "score.min", "0");
    session.set(base + "score.max", String(max));
    session.set(base + "score.raw", String(raw));
    session.set(base + "score.scaled", String(scaled));
    session.set(base + "success_status", status);
    session.set(base + "completion_status", "completed");
    session.set(base + "description", "Data privacy quiz: " + percent(passing) + " to pass");
    session.commit();
  }

  function submit() {
    var results = questions.map(function (q, i) { return KINDS[q.type].correct(q, attempt.answers[i]); });
    var raw = results.filter(Boolean).length;
    var max = questions.length;
    var scaled = Math.round((raw / max) * 10000) / 10000; // 4 decimals: 5/6 -> 0.8333
    var passed = scaled >= passing;
    recordInteractions(results);
    recordScore(raw, max, scaled, passed);
    showResults(results, raw, max, scaled, passed);
  }

  function showResults(results, raw, max, scaled, passed) {
    showOnly(view.results);
    $("result-title").textContent = passed ? "You passed" : "Not quite there yet";
    $("score-percent").textContent = percent(scaled);
    var badge = $("result-badge");
    badge.textContent = passed ? "Passed" : "Not passed";
    badge.className = "badge " + (passed ? "badge--pass" : "badge--fail");
    $("score-detail").textContent = raw + " of " + max + " correct \u00b7 " + percent(passing) + " needed to pass";

    var message = $("result-message");
    message.className = "callout " + (passed ? "callout--ok" : "callout--bad");
    message.firstElementChild.textContent = passed
      ? "Well done. Your score and answers have been sent to your learning platform."
      : "Have another look at the lesson, then try again. Only your latest attempt counts.";

    var review = $("review");
    review.textContent = "";
    questions.forEach(function (q, i) {
      review.appendChild(node("li", {}, [
        node("span", {
          className: "review__mark " + (results[i] ? "review__mark--ok" : "review__mark--bad"),
          "aria-hidden": "true", text: results[i] ? "\u2713" : "\u2717"
        }),
        node("span", {}, [
          node("span", { className: "visually-hidden", text: results[i] ? "Correct: " : "Incorrect: " }),
          q.text
        ])
      ]));
    });

    var retry = $("retry");
    retry.className = "btn " + (passed ? "btn--secondary" : "btn--primary");
    Course.navButtons(session, view.results);
    Course.focusHeading($("result-title"));
  }

  $("start").addEventListener("click", beginAttempt);
  $("retry").addEventListener("click", beginAttempt);

  // --- Launch --------------------------------------------------------------------------

  $("passing-score").textContent = percent(passing);
  if (session.get("cmi.completion_status") === "completed") {
    // A resumed attempt that already finished the quiz: say how it went.
    var scaled = parseFloat(session.get("cmi.score.scaled"));
    var previous = $("previous-result");
    previous.textContent = isFinite(scaled)
      ? "Your latest result is " + percent(scaled) + ". You can take the quiz again to improve it."
      : "You have already finished this quiz. You can take it again.";
    previous.hidden = false;
  } else {
    session.set("cmi.completion_status", "incomplete");
    session.commit();
  }
})();

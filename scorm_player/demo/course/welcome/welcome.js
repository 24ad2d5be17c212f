/*
 * Welcome SCO: greets the learner by name and is complete as soon as it opens.
 *
 * Reports: cmi.completion_status = completed, cmi.progress_measure = 1, cmi.exit = normal,
 * and (through scorm.js) cmi.session_time before Terminate.
 */
(function () {
  "use strict";

  var session = Scorm.start();
  Course.showCalls(session);

  var name = Course.firstName(session.get("cmi.learner_name"));
  if (name) document.getElementById("welcome-title").textContent = "Welcome, " + name;

  session.set("cmi.completion_status", "completed");
  session.set("cmi.progress_measure", "1");
  session.set("cmi.exit", "normal");
  session.commit();

  Course.navButtons(session);
})();

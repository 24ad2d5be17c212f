/*
 * Summary SCO: a closing page that reads nothing from the LMS and is complete on opening.
 *
 * Reports: cmi.completion_status = completed, cmi.progress_measure = 1, cmi.exit = normal,
 * and (through scorm.js) cmi.session_time before Terminate.
 */
(function () {
  "use strict";

  var session = Scorm.start();
  Course.showCalls(session);

  session.set("cmi.completion_status", "completed");
  session.set("cmi.progress_measure", "1");
  session.set("cmi.exit", "normal");
  session.commit();
})();

/*
 * The quiz: one question of each SCORM 2004 interaction type the course demonstrates.
 *
 * Identifiers are long_identifier_type URNs (interaction ids, the objective id) and
 * short_identifier_type tokens (choice options, matching sources and targets, sequence steps):
 * no spaces, no reserved delimiters. quiz.js turns each question into the
 * cmi.interactions.n.* record and the response patterns of RTE 4.2.9.
 */
window.QUIZ = {
  // The quiz's primary objective, as declared in imsmanifest.xml (imsss:primaryObjective).
  objectiveId: "urn:scorm-player:demo:data-privacy-quiz",
  // Used when the LMS gives no cmi.scaled_passing_score.
  defaultPassingScore: 0.8,
  questions: [
    {
      id: "urn:scorm-player:demo:quiz:personal-data",
      type: "choice",
      text: "Which of these are personal data?",
      hint: "Select all that apply.",
      options: [
        { id: "work_email", label: "A colleague's work email address" },
        { id: "router_ip", label: "The IP address of a customer's home router" },
        { id: "sales_total", label: "Total sales for last quarter" },
        { id: "office_address", label: "The street address of your company's head office" }
      ],
      correct: ["work_email", "router_ip"]
    },
    {
      id: "urn:scorm-player:demo:quiz:pseudonymised",
      type: "true-false",
      text: "Pseudonymised data, where names are replaced with codes, no longer counts as personal data.",
      hint: "True or false?",
      correct: false
    },
    {
      id: "urn:scorm-player:demo:quiz:minimisation",
      type: "fill-in",
      text: "Collecting only the personal data you need for a stated purpose is called data \u2026",
      hint: "Type one word.",
      label: "Your answer",
      correct: ["minimisation", "minimization"]
    },
    {
      id: "urn:scorm-player:demo:quiz:categories",
      type: "matching",
      text: "Match each example to the kind of data it is.",
      hint: "Choose one answer for each example.",
      sources: [
        { id: "sick_note", label: "A doctor's note about an employee's illness" },
        { id: "phone_number", label: "A customer's mobile phone number" },
        { id: "survey_totals", label: "Anonymous survey totals for the whole company" }
      ],
      targets: [
        { id: "special", label: "Special category data" },
        { id: "personal", label: "Personal data" },
        { id: "not_personal", label: "Not personal data" }
      ],
      correct: [["sick_note", "special"], ["phone_number", "personal"], ["survey_totals", "not_personal"]]
    },
    {
      id: "urn:scorm-player:demo:quiz:breach-steps",
      type: "sequencing",
      text: "Put the steps for handling a suspected data breach in order.",
      hint: "Use the arrow buttons to move a step up or down. The first step goes at the top.",
      items: [
        { id: "contain", label: "Contain it" },
        { id: "report", label: "Report it to the privacy team" },
        { id: "assess", label: "The privacy team assesses the risk" },
        { id: "notify", label: "Notify the authority and the people affected, if required" }
      ],
      startOrder: ["report", "notify", "contain", "assess"],
      correct: ["contain", "report", "assess", "notify"]
    },
    {
      id: "urn:scorm-player:demo:quiz:notify-hours",
      type: "numeric",
      text: "Under the GDPR, within how many hours of becoming aware of a reportable breach must the authority be told?",
      hint: "Enter a number.",
      label: "Number of hours",
      correct: 72
    }
  ]
};

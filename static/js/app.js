// Small behaviours shared by every designer page (progressive enhancement: pages work without).
(() => {
  "use strict";
  // Forms that destroy something ask first: <form data-confirm="Delete ...?">.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    const question = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();

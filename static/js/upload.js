// Upload page: drag and drop onto the drop zone, and a progress bar while a large zip uploads.
// Without JavaScript the form still posts normally; with it we post the same form through
// XMLHttpRequest (fetch has no upload progress) and ask for JSON: on success the server sends
// the course page to go to, on rejection the import report as HTML to show in place.
(() => {
  "use strict";
  const form = document.querySelector("form[data-upload]");
  if (!form) return;

  const input = form.querySelector('input[type="file"]');
  const zone = form.querySelector("[data-dropzone]");
  const fileLabel = form.querySelector("[data-filename]");
  const progress = form.querySelector("[data-progress]");
  const bar = progress.querySelector("progress");
  const status = form.querySelector("[data-status]");
  const submit = form.querySelector("[data-submit]");
  const result = document.getElementById("upload-result");
  const token = form.querySelector('input[name="csrf_token"]').value;

  const formatSize = (bytes) => {
    const units = [["GB", 1024 ** 3], ["MB", 1024 ** 2], ["KB", 1024]];
    for (const [unit, factor] of units) {
      if (bytes >= factor) return `${(bytes / factor).toFixed(1).replace(/\.0$/, "")} ${unit}`;
    }
    return `${bytes} bytes`;
  };

  const say = (text, isError = false) => {
    status.textContent = text;
    status.classList.toggle("is-error", isError);
  };

  const showChosen = () => {
    const file = input.files[0];
    fileLabel.textContent = file ? `${file.name} (${formatSize(file.size)})` : "";
    if (file) say("");
  };

  input.addEventListener("change", showChosen);

  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("is-dragover");
    });
  }
  for (const type of ["dragleave", "dragend", "drop"]) {
    zone.addEventListener(type, () => zone.classList.remove("is-dragover"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    const files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) return;
    const transfer = new DataTransfer();
    transfer.items.add(files[0]);
    input.files = transfer.files;
    showChosen();
  });

  const finish = () => {
    submit.disabled = false;
    progress.hidden = true;
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = input.files[0];
    if (!file) {
      say("Choose a SCORM package (.zip) first.", true);
      return;
    }
    const maxBytes = Number(form.dataset.maxBytes);
    if (maxBytes && file.size > maxBytes) {
      say(`This file is ${formatSize(file.size)}; uploads are limited to ${form.dataset.maxLabel}.`, true);
      return;
    }

    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-CSRF-Token", token);

    request.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      say(`Uploading… ${percent}% (${formatSize(e.loaded)} of ${formatSize(e.total)})`);
    });
    request.upload.addEventListener("load", () => {
      bar.removeAttribute("value"); // indeterminate while the server checks the package
      say("Uploaded. Checking and importing the package…");
    });
    request.addEventListener("load", () => {
      let data = null;
      try {
        data = JSON.parse(request.responseText);
      } catch (_) {
        data = null;
      }
      if (request.status === 200 && data && data.ok) {
        say("Imported. Opening the course…");
        window.location.assign(data.redirect);
        return;
      }
      finish();
      if (data && data.html) {
        result.innerHTML = data.html; // rendered and escaped by the server
        say("The package was not imported: see the errors below.", true);
        const report = result.querySelector("#import-report");
        if (report) report.focus();
      } else {
        say((data && data.message) || `The upload failed (HTTP ${request.status}).`, true);
      }
    });
    request.addEventListener("error", () => {
      finish();
      say("The connection was lost during the upload. Check your network and try again.", true);
    });

    result.innerHTML = "";
    submit.disabled = true;
    progress.hidden = false;
    bar.value = 0;
    say("Uploading…");
    request.send(new FormData(form));
  });
})();

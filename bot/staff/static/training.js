// Training page: while a retraining job runs (on any worker), follow its progress and reload the page when it
// ends, so that the comparison and the publish button appear. The server renders everything else.
"use strict";

(function () {
  const panel = document.getElementById("retraining");
  if (!panel || panel.getAttribute("data-job-state") !== "running") {
    return;
  }
  const job = panel.getAttribute("data-job");
  const progress = document.getElementById("job-progress");
  const step = document.getElementById("job-step");
  const POLL_MS = 2000;

  async function poll() {
    try {
      const response = await window.wegweiserStaff.fetch("/admin/training/job", { cache: "no-store" });
      if (response.ok) {
        const status = await response.json();
        if (status.id !== job || status.state !== "running") {
          // Shown afresh, without the notice of the form that started the job.
          const url = new URL(window.location.href);
          url.searchParams.delete("done");
          window.location.replace(url.toString());
          return;
        }
        if (progress) {
          progress.value = status.done;
          progress.textContent = Math.round(status.done * 100) + " %";
        }
        if (step) {
          step.textContent = status.step;
        }
      }
    } catch (error) {
      // The worker may be restarting; the next poll tries again.
    }
    window.setTimeout(poll, POLL_MS);
  }

  window.setTimeout(poll, POLL_MS);
})();

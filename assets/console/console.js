// xuncha 巡查控制台: progressive enhancement only. Every page works without this file.
/* global window, document, HTMLFormElement, fetch */
(function () {
  'use strict';

  // A form submitted once stays submitted: no double review or double upload on a slow network.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.method.toLowerCase() !== 'post') return;
    window.setTimeout(function () {
      form.querySelectorAll('button[type="submit"], button:not([type])').forEach(function (b) {
        b.disabled = true;
      });
    }, 0);
  });

  // 正在进行: <section id="running" data-progress-url="…"> with rows <tr data-run-id> whose
  // td.stage / td.progress are refreshed; a batch that stops running reloads the page.
  var section = document.getElementById('running');
  var url = section && section.getAttribute('data-progress-url');
  if (!section || !url || !window.fetch) return;
  var shown = {};
  section.querySelectorAll('tr[data-run-id]').forEach(function (row) {
    var id = row.getAttribute('data-run-id');
    if (id) shown[id] = true;
  });
  var failures = 0;
  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then(function (data) {
        failures = 0;
        var running = {};
        (data.running || []).forEach(function (job) {
          if (job.runId === null || job.runId === undefined) return;
          var id = String(job.runId);
          running[id] = true;
          var row = section.querySelector('tr[data-run-id="' + id.replace(/[^0-9]/g, '') + '"]');
          if (!row) return;
          var stage = row.querySelector('td.stage');
          var progress = row.querySelector('td.progress');
          if (stage) stage.textContent = job.stage;
          if (progress) progress.textContent = job.text;
        });
        var finished = Object.keys(shown).some(function (id) {
          return !running[id];
        });
        var started = Object.keys(running).some(function (id) {
          return !shown[id];
        });
        if (finished || started) window.location.reload();
        else window.setTimeout(poll, 3000);
      })
      .catch(function () {
        // The server restarting or the session ending: slow down, never spin.
        failures += 1;
        if (failures < 20) window.setTimeout(poll, 10000);
      });
  }
  window.setTimeout(poll, 3000);
})();

// The reflect page, keyboard first. Without this script the page is one plain form;
// with it:
// - keys 1 to 6 answer the row whose answers have focus, and move on to the next row;
// - each row is saved as it is answered, by posting that row alone (`only=<row>`) with
//   the seq of the answer it showed; evidence on leaving its box (saving while one
//   types would fill the row's history with half-written words);
// - each row says what happened: "Saved" only once the server said so, and a row
//   someone else changed meanwhile shows their answer, with yours to choose again;
// - before the page locks, unsaved rows are saved first (allymap.js awaits
//   `window.allymapBeforeLock`), and saving the whole form waits for rows on their way.
(function () {
  "use strict";
  var form = document.querySelector("form.reflect[data-autosave]");
  if (!form || !window.fetch || !window.FormData || !window.Promise) { return; }

  var words = {
    saving: form.getAttribute("data-saving") || "",
    unsaved: form.getAttribute("data-unsaved") || "",
    failed: form.getAttribute("data-failed") || "",
    useMine: form.getAttribute("data-use-mine") || ""
  };
  var rows = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-row]"));
  var byKey = {};
  rows.forEach(function (row) { byKey[row.getAttribute("data-row")] = row; });

  Array.prototype.forEach.call(document.querySelectorAll("[data-keys]"), function (el) { el.hidden = false; });

  function radios(row) { return Array.prototype.slice.call(row.querySelectorAll("input[type=radio]")); }
  function evidenceBox(row) { return row.querySelector("textarea"); }
  function shownInput(row) { return row.querySelector("input[name^='shown-']"); }
  function keyOf(row) { return row.getAttribute("data-row"); }
  function field(name) { var el = form.querySelector("[name='" + name + "']"); return el ? el.value : ""; }

  function setStatus(row, text, kind) {
    var status = row.querySelector("[data-status]");
    if (!status) { return; }
    status.textContent = text;
    status.className = "rf-status" + (kind ? " " + kind : "");
  }
  function choose(row, value) {
    radios(row).forEach(function (radio) { radio.checked = radio.value === value; });
  }
  function chosen(row) {
    var checked = row.querySelector("input[type=radio]:checked");
    return checked ? checked.value : "";
  }
  function focusAnswers(row, options) {
    var target = row.querySelector("input[type=radio]:checked") || radios(row)[0];
    if (target) { target.focus(options); }
  }

  // --- saving, one row at a time, in order ---------------------------------------------
  // A row changed while its save is on the way is saved again after it, with the seq
  // the first save returned: the page never races itself into a difference.
  var dirty = [];
  var busy = false;
  var waiting = [];
  var typed = {};  // rows whose box has words not saved yet (saved on leaving the box)

  function markDirty(row) {
    var key = keyOf(row);
    if (dirty.indexOf(key) < 0) { dirty.push(key); }
    setStatus(row, words.saving, "saving");
    pump();
  }
  function pump() {
    if (busy) { return; }
    var key = dirty.shift();
    if (!key) {
      waiting.splice(0).forEach(function (done) { done(); });
      return;
    }
    busy = true;
    send(byKey[key]).then(function () { busy = false; pump(); });
  }
  function drained() {
    Object.keys(typed).forEach(function (key) { delete typed[key]; markDirty(byKey[key]); });
    if (!busy && !dirty.length) { return Promise.resolve(); }
    return new Promise(function (done) { waiting.push(done); });
  }
  function body(row) {
    var key = keyOf(row);
    var data = new FormData();
    data.append("csrfmiddlewaretoken", field("csrfmiddlewaretoken"));
    data.append("member", field("member"));
    data.append("only", key);
    data.append("position-" + key, chosen(row));
    data.append("evidence-" + key, evidenceBox(row) ? evidenceBox(row).value : "");
    data.append("shown-" + key, shownInput(row) ? shownInput(row).value : "0");
    return data;
  }
  function send(row) {
    return fetch(form.action, {
      method: "POST",
      body: body(row),
      credentials: "same-origin",
      redirect: "manual",
      keepalive: true,  // a save started as the person leaves the page still arrives
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) { throw new Error("not saved"); }
      return response.json();
    }).then(function (answer) {
      settle(row, answer);
    }).catch(function () {
      // Locked, offline or refused: the row stays as typed, for the whole form to save.
      if (dirty.indexOf(keyOf(row)) < 0) { setStatus(row, words.failed, "failed"); }
    });
  }
  function settle(row, answer) {
    var again = dirty.indexOf(keyOf(row)) >= 0;
    if (typeof answer.seq === "number" && shownInput(row)) { shownInput(row).value = String(answer.seq); }
    if (answer.saved) {
      // Changed again meanwhile (on its way, or words still in the box): not "Saved" yet.
      if (typed[keyOf(row)]) {
        setStatus(row, words.unsaved, "unsaved");
      } else if (!again) {
        setStatus(row, answer.message, "saved");
      }
      return;
    }
    if (answer.seq === undefined) {
      setStatus(row, answer.message || words.failed, "failed");
      return;
    }
    var yours = { position: chosen(row), evidence: evidenceBox(row) ? evidenceBox(row).value : "" };
    // Someone else's answer stands: show it in the row, with theirs now the one shown.
    // Nothing of this row is still to be sent: what was typed is kept as "yours".
    dirty = dirty.filter(function (key) { return key !== keyOf(row); });
    delete typed[keyOf(row)];
    choose(row, answer.position);
    if (evidenceBox(row)) { evidenceBox(row).value = answer.evidence; }
    setStatus(row, "", "");
    var same = yours.position === answer.position && yours.evidence.trim() === answer.evidence;
    showDifference(row, answer.message, (answer.conflict || !same) ? yours : null);
  }
  // The difference stays in view, above the answers, until the person chooses an answer
  // for the row: typing in the box alone does not hide that the answer shown is theirs.
  function showDifference(row, message, yours) {
    var box = row.querySelector(".rf-difference");
    if (!box) {
      box = document.createElement("div");
      box.className = "rf-difference";
      box.setAttribute("role", "alert");
      row.insertBefore(box, row.querySelector(".scale"));
    }
    if (message !== null) {
      box.textContent = "";
      var text = document.createElement("p");
      text.textContent = message;
      box.appendChild(text);
    }
    if (!yours || !words.useMine || box.querySelector(".rf-use-mine")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary rf-use-mine";
    button.textContent = words.useMine;
    // Words typed in the box since the difference showed are the person's latest: kept.
    var theirs = evidenceBox(row) ? evidenceBox(row).value : "";
    button.addEventListener("click", function () {
      choose(row, yours.position);
      if (evidenceBox(row) && evidenceBox(row).value === theirs) { evidenceBox(row).value = yours.evidence; }
      settled(row);
      markDirty(row);
      focusAnswers(row);
    });
    box.appendChild(button);
  }
  function settled(row) {
    var box = row.querySelector(".rf-difference");
    if (box) { box.parentNode.removeChild(box); }
    row.classList.remove("rf-has-difference");
    var group = row.querySelector(".scale");
    if (group && /^difference-/.test(group.getAttribute("aria-describedby") || "")) {
      group.removeAttribute("aria-describedby");
    }
  }

  // --- answering ---------------------------------------------------------------------
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target || target.type !== "radio" || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var number = parseInt(event.key, 10);
    var row = target.closest("fieldset[data-row]");
    if (!row || !(number >= 1)) { return; }
    var choice = radios(row)[number - 1];
    if (!choice) { return; }
    event.preventDefault();
    choice.checked = true;
    settled(row);
    markDirty(row);
    var next = rows[rows.indexOf(row) + 1];
    if (next) { focusAnswers(next); } else { form.querySelector("button[type=submit]").focus(); }
  });
  form.addEventListener("change", function (event) {
    var row = event.target && event.target.closest("fieldset[data-row]");
    if (row && event.target.type === "radio") { settled(row); markDirty(row); }
    if (row && event.target.tagName === "TEXTAREA") {
      delete typed[keyOf(row)];
      markDirty(row);
    }
  });
  form.addEventListener("input", function (event) {
    var row = event.target && event.target.closest("fieldset[data-row]");
    if (!row || event.target.tagName !== "TEXTAREA") { return; }
    var key = keyOf(row);
    if (!typed[key]) { setStatus(row, words.unsaved, "unsaved"); }
    typed[key] = true;
  });
  // Saving the whole form waits for the rows still on their way, so it carries the
  // seqs they were saved at and cannot undo or contradict them.
  var submitting = false;
  form.addEventListener("submit", function (event) {
    if (submitting) { return; }
    event.preventDefault();
    drained().then(function () { submitting = true; form.submit(); });
  });
  // allymap.js awaits these before it locks (idle, "Lock now", or another tab locking).
  (window.allymapBeforeLock = window.allymapBeforeLock || []).push(drained);

  // Differences the server showed on a posted form: offer to choose yours again.
  rows.forEach(function (row) {
    var difference = row.querySelector("[data-yours-position]");
    if (difference) {
      showDifference(row, null, {
        position: difference.getAttribute("data-yours-position"),
        evidence: difference.getAttribute("data-yours-evidence") || ""
      });
    }
  });

  // Focus starts where the work is: a message to read first, or the first row's answers
  // (without scrolling past the words above them).
  var first = document.querySelector("[data-focus-first]");
  if (first) { first.focus(); } else if (rows.length) { focusAnswers(rows[0], { preventScroll: true }); }
})();

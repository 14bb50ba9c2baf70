// allymap's own small script. Every page works without it; it adds:
// - quick exit that hides the page at once and leaves without a Back entry,
//   also on Esc pressed three times within two seconds, in every open tab;
// - auto-lock in the browser after the idle time the server also enforces, on the
//   server's one idle clock for all tabs, and a quiet "still here" to the server while
//   someone types a long answer;
// - before any lock, every page's unsaved answers saved (window.allymapBeforeLock), and
//   a form typed into but not sent sent first (or carried through unlocking);
// - a form carried through unlocking sent on by itself;
// - a print button where a page offers one.
(function () {
  "use strict";
  var exitLink = document.getElementById("quick-exit");
  // Pages that save as one types (the reflection) push a function here that saves what
  // is not saved yet and returns a promise; the idle lock awaits them all first.
  window.allymapBeforeLock = window.allymapBeforeLock || [];
  var FLUSH_LIMIT_MS = 3000;
  function beforeLock(atLeast) {
    var saves = window.allymapBeforeLock.map(function (save) {
      try { return Promise.resolve(save()).catch(function () {}); } catch (e) { return Promise.resolve(); }
    });
    if (atLeast) { saves.push(atLeast); }
    var limit = new Promise(function (done) { setTimeout(done, FLUSH_LIMIT_MS); });
    return Promise.race([Promise.all(saves), limit]);
  }
  // Text typed into a form but not sent: before any lock, the form the person changed
  // (the one holding the focus, else the first) is sent in the background while the
  // session still lives. Forms marked data-no-carry (lock, exit, unlock, destroy and
  // forget confirmations) and the reflection (data-autosave, saved by reflect.js) are
  // left alone. If the session has already ended (403, nothing kept), the form is sent
  // normally instead, so the unlock page carries it through unlocking.
  function changed(field) {
    var type = (field.type || "").toLowerCase();
    if (field.disabled || !field.name || ["hidden", "password", "submit", "button", "reset", "file", "image"].indexOf(type) >= 0) { return false; }
    if (type === "checkbox" || type === "radio") { return field.checked !== field.defaultChecked; }
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return "defaultValue" in field && field.value !== field.defaultValue;
  }
  function typedForm() {
    var forms = Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
      return (form.getAttribute("method") || "").toLowerCase() === "post" && form.id !== "lock-form" &&
        !form.hasAttribute("data-no-carry") && !form.hasAttribute("data-autosave") &&
        !form.hasAttribute("data-carried") && Array.prototype.some.call(form.elements, changed);
    });
    var active = document.activeElement;
    var holding = forms.filter(function (form) { return active && form.contains(active); });
    return holding[0] || forms[0] || null;
  }
  var carryInstead = null;  // set when the session ended before the typed form arrived
  var sendingTyped = false;
  function saveTyped() {
    var form = typedForm();
    if (!form || !window.fetch || !window.FormData) { return Promise.resolve(); }
    sendingTyped = true;
    return fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      // Locked already: the server answers a background post 403 and keeps nothing.
      .then(function (response) { if (response.status === 403) { carryInstead = form; } })
      .catch(function () { carryInstead = form; });
  }
  function sendCarried() {
    // Sent as without this script: the unlock page holds it, and "saved" is said only
    // once the server has stored it.
    document.documentElement.style.visibility = "hidden";
    carryInstead.submit();
  }
  // Every open allymap tab hears a quick exit or a lock in any of them, and follows.
  var tabs = ("BroadcastChannel" in window) ? new BroadcastChannel("allymap") : null;
  function leave(where) {
    document.documentElement.style.visibility = "hidden";
    document.title = "";
    window.location.replace(where);
  }
  function quickExit(event) {
    if (event) { event.preventDefault(); }
    if (tabs) { tabs.postMessage("exit"); }
    leave(exitLink ? exitLink.href : "/exit/");
  }
  if (tabs) {
    tabs.onmessage = function (message) {
      if (message.data === "exit") { leave(exitLink ? exitLink.href : "/exit/"); }
      if (message.data === "flush") {
        var typed = saveTyped();
        beforeLock(typed).then(function () {
          if (carryInstead) { sendCarried(); } else if (sendingTyped) { leave("/unlock/?why=locked"); }
        });
      }
      if (message.data === "lock" && document.body.getAttribute("data-idle-seconds")) {
        if (sendingTyped) { return; }  // follows once its typed form is sent
        leave("/unlock/?why=locked");
      }
    };
  }
  if (exitLink) {
    exitLink.addEventListener("click", quickExit);
    exitLink.title = exitLink.getAttribute("data-title") || "";
  }
  // The shortcut works only with this script: say so only now that it runs.
  Array.prototype.forEach.call(document.querySelectorAll("[data-shortcut]"), function (el) { el.hidden = false; });
  Array.prototype.forEach.call(document.querySelectorAll("[data-no-shortcut]"), function (el) { el.hidden = true; });
  var escTimes = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    escTimes = escTimes.filter(function (t) { return now - t < 2000; });
    escTimes.push(now);
    if (escTimes.length >= 3) { quickExit(); }
  });

  var idleSeconds = parseInt(document.body.getAttribute("data-idle-seconds") || "", 10);
  var lockForm = document.getElementById("lock-form");
  if (lockForm) {
    lockForm.addEventListener("submit", function (event) {
      if (tabs) { tabs.postMessage("flush"); }
      var typed = typedForm() ? saveTyped() : null;
      if (!window.allymapBeforeLock.length && !typed) {
        if (tabs) { tabs.postMessage("lock"); }
        return;
      }
      // Hidden at once; unsaved answers saved (briefly bounded), then locked.
      event.preventDefault();
      document.documentElement.style.visibility = "hidden";
      beforeLock(typed).then(function () {
        if (carryInstead) { sendCarried(); return; }
        if (tabs) { tabs.postMessage("lock"); }
        lockForm.submit();
      });
    });
  }
  if (idleSeconds > 0 && lockForm) {
    var LOCK_MARGIN = 2;
    var firstWait = Math.max(1, idleSeconds - LOCK_MARGIN);
    var timer = null;
    var lastPing = Date.now();
    // Activity in any tab moves the server's idle clock, which every tab shares.
    var pingEvery = Math.min(60000, idleSeconds * 1000 / 3);
    var token = lockForm.querySelector("input[name=csrfmiddlewaretoken]");
    var locking = false;
    var lockNow = function () {
      if (locking) { return; }
      locking = true;
      // Every open tab saves what it holds first (this one, and the others on "flush"),
      // then the page locks: bounded, so a save that hangs never keeps it unlocked.
      if (tabs) { tabs.postMessage("flush"); }
      var settle = tabs ? new Promise(function (done) { setTimeout(done, 400); }) : Promise.resolve();
      beforeLock(Promise.all([settle, saveTyped()])).then(function () {
        if (carryInstead) { sendCarried(); return; }
        document.documentElement.style.visibility = "hidden";
        var why = document.createElement("input");
        why.type = "hidden"; why.name = "why"; why.value = "idle";
        lockForm.appendChild(why);
        if (tabs) { tabs.postMessage("lock"); }
        lockForm.submit();
      });
    };
    var schedule = function (seconds) {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(function () {
        // This tab was idle, but the person may be busy in another: ask the shared clock.
        fetch("/idle/", { credentials: "same-origin", cache: "no-store" })
          .then(function (response) { return response.ok ? response.json() : { seconds_left: 0 }; })
          .then(function (clock) {
            // Lock a little before the server does, so saves made on the way still count.
            if (clock.seconds_left > LOCK_MARGIN) {
              schedule(clock.seconds_left - LOCK_MARGIN);
            } else { lockNow(); }
          })
          .catch(lockNow);
      }, seconds * 1000);
    };
    var activity = function () {
      if (Date.now() - lastPing > pingEvery && token) {
        lastPing = Date.now();
        fetch("/keepalive/", { method: "POST", headers: { "X-CSRFToken": token.value }, credentials: "same-origin" });
      }
      schedule(firstWait);
    };
    ["keydown", "pointerdown", "input", "scroll"].forEach(function (name) {
      document.addEventListener(name, activity, { passive: true });
    });
    schedule(firstWait);
  }

  // The form posted just before the lock, carried through unlocking: send it on.
  var carried = document.getElementById("carried-form");
  if (carried && carried.hasAttribute("data-carried")) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-carried-saving]"), function (el) { el.hidden = false; });
    carried.submit();
  }

  // A form sent back with errors: start at its summary, whose links lead to each field.
  // Scrolled to only when its top is not already in the upper half of the window: a page
  // scrolled just a little would leave the header's links half under the quick exit band
  // of narrow windows, too small to tap.
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) {
    summary.focus({ preventScroll: true });
    var top = summary.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) { summary.scrollIntoView({ block: "start" }); }
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

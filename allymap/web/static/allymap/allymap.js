// allymap's own small script. Every page works without it; it adds:
// - quick exit that hides the page at once and leaves without a Back entry,
//   also on Esc pressed three times within two seconds;
// - auto-lock in the browser after the idle time the server also enforces, and a quiet
//   "still here" to the server while someone types a long answer;
// - a print button where a page offers one.
(function () {
  "use strict";
  var exitLink = document.getElementById("quick-exit");
  function quickExit(event) {
    if (event) { event.preventDefault(); }
    document.documentElement.style.visibility = "hidden";
    document.title = "";
    window.location.replace(exitLink ? exitLink.href : "/exit/");
  }
  if (exitLink) { exitLink.addEventListener("click", quickExit); }
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
  if (idleSeconds > 0 && lockForm) {
    var timer = null;
    var lastPing = Date.now();
    var token = lockForm.querySelector("input[name=csrfmiddlewaretoken]");
    var reset = function () {
      // Typing counts as activity on the server too, at most once a minute.
      if (Date.now() - lastPing > 60000 && token) {
        lastPing = Date.now();
        fetch("/keepalive/", { method: "POST", headers: { "X-CSRFToken": token.value }, credentials: "same-origin" });
      }
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(function () {
        document.documentElement.style.visibility = "hidden";
        lockForm.submit();
      }, idleSeconds * 1000);
    };
    ["keydown", "pointerdown", "input", "scroll"].forEach(function (name) {
      document.addEventListener(name, reset, { passive: true });
    });
    reset();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

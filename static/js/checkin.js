// Check-in staff page: hand-held scanner field, camera scanning, search with one-tap check-in,
// full-screen answer, undo, live counters. No framework; no inline script (CSP-ready).
(function () {
  "use strict";

  var root = document.getElementById("checkin");
  if (!root) { return; }
  var data = root.dataset;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrfToken = csrfMeta ? csrfMeta.getAttribute("content") : "";

  var codeInput = document.getElementById("code");
  var scanForm = document.getElementById("scan-form");
  var searchForm = document.getElementById("search-form");
  var searchInput = document.getElementById("q");
  var results = document.getElementById("search-results");
  var answer = document.getElementById("answer");
  var answerTitle = document.getElementById("answer-title");
  var answerName = document.getElementById("answer-name");
  var answerDetail = document.getElementById("answer-detail");
  var answerMessage = document.getElementById("answer-message");
  var answerNext = document.getElementById("answer-next");
  var answerUndo = document.getElementById("answer-undo");
  var undoStatus = document.getElementById("undo-status");
  var countChecked = document.getElementById("count-checked");
  var countExpected = document.getElementById("count-expected");
  var cameraToggle = document.getElementById("camera-toggle");
  var cameraBox = document.getElementById("camera-box");
  var cameraMessage = document.getElementById("camera-message");
  var video = document.getElementById("camera");

  var lastCheckinId = null;
  var busy = false;
  var hideTimer = null;

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(body)
    });
  }

  function updateCounts(counts) {
    if (!counts) { return; }
    countChecked.textContent = counts.checked_in;
    countExpected.textContent = counts.expected;
  }

  function showAnswer(state, title, name, detail, message) {
    window.clearTimeout(hideTimer);
    answer.className = "answer answer-" + state;
    answerTitle.textContent = title;
    answerName.textContent = name || "";
    answerDetail.textContent = detail || "";
    answerMessage.textContent = message || "";
    answerUndo.hidden = !(state === "welcome" && lastCheckinId);
    answer.hidden = false;
    answerNext.focus();
    if (state === "welcome") {
      hideTimer = window.setTimeout(hideAnswer, 6000);
    }
  }

  function hideAnswer() {
    window.clearTimeout(hideTimer);
    answer.hidden = true;
    if (codeInput) { codeInput.focus(); }
  }

  function showResult(body) {
    var person = body.person;
    lastCheckinId = body.state === "welcome" && body.checkin ? body.checkin.id : null;
    var detail = person ? [person.organisation, person.country, person.role_label].filter(Boolean).join(" · ") : "";
    showAnswer(body.state, body.title, person ? person.name : "", detail, body.message);
    updateCounts(body.counts);
  }

  function showProblem(status) {
    lastCheckinId = null;
    var text = status === 429 ? data.textTooMany : data.textNetwork;
    showAnswer("refused", text, "", "", "");
  }

  function send(body) {
    if (busy) { return Promise.resolve(); }
    busy = true;
    return postJSON(data.scanUrl, body).then(function (response) {
      if (!response.ok) { showProblem(response.status); return; }
      return response.json().then(showResult);
    }).catch(function () { showProblem(0); }).then(function () { busy = false; });
  }

  scanForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = codeInput.value.trim();
    codeInput.value = "";
    if (code) { send({ code: code }); }
  });

  answerNext.addEventListener("click", hideAnswer);
  answer.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hideAnswer(); }
  });

  answerUndo.addEventListener("click", function () {
    if (!lastCheckinId) { return; }
    var id = lastCheckinId;
    lastCheckinId = null;
    postJSON(data.undoUrl, { checkin_id: id }).then(function (response) {
      return response.json().then(function (body) {
        hideAnswer();
        undoStatus.textContent = body.message || body.error || data.textUndone;
        updateCounts(body.counts);
        showAnswer("undone", data.textUndone, "", "", body.message || body.error || "");
      });
    }).catch(function () { showProblem(0); });
  });

  // Search with one-tap check-in.
  var searchTimer = null;
  function renderResults(items) {
    results.textContent = "";
    if (!items.length) {
      var empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = data.textNoResults;
      results.appendChild(empty);
      return;
    }
    items.forEach(function (item) {
      var li = document.createElement("li");
      var text = document.createElement("div");
      var name = document.createElement("strong");
      name.textContent = item.name;
      var meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = [item.organisation, item.role_label].filter(Boolean).join(" · ");
      var status = document.createElement("span");
      status.className = "badge reg-" + item.status;
      status.textContent = item.status_label;
      text.appendChild(name);
      text.appendChild(document.createTextNode(" "));
      text.appendChild(status);
      text.appendChild(document.createElement("br"));
      text.appendChild(meta);
      li.appendChild(text);
      // Only the action that fits: checked in already, refused with the reason, or "Check in".
      if (item.checked_in_at) {
        var done = document.createElement("span");
        done.className = "present";
        done.textContent = data.textCheckedInAt + " " + item.checked_in_at;
        li.appendChild(done);
      } else if (item.refusal) {
        var refusal = document.createElement("span");
        refusal.className = "refusal";
        refusal.textContent = item.refusal;
        li.appendChild(refusal);
      }
      if (item.may_check_in) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button primary";
        button.textContent = data.textCheckIn;
        button.addEventListener("click", function () {
          send({ registration_id: item.id }).then(runSearch);
        });
        li.appendChild(button);
      }
      results.appendChild(li);
    });
  }

  function runSearch() {
    var q = searchInput.value.trim();
    if (q.length < 2) { results.textContent = ""; return Promise.resolve(); }
    return fetch(data.searchUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (body) { renderResults(body.results || []); })
      .catch(function () { /* keep the last results */ });
  }

  searchForm.addEventListener("submit", function (event) { event.preventDefault(); runSearch(); });
  searchInput.addEventListener("input", function () {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(runSearch, 250);
  });

  // Live counters: other doors check people in too.
  window.setInterval(function () {
    if (document.hidden) { return; }
    fetch(data.countsUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(updateCounts)
      .catch(function () { /* try again next time */ });
  }, 10000);

  // Camera scanning: the browser's own BarcodeDetector, or the ZXing-WebAssembly ponyfill
  // served from /static/vendor (installed with npm, copied by `make vendor-js`).
  var stream = null;
  var detector = null;
  var lastValue = "";
  var lastValueAt = 0;

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) { return Promise.resolve(null); }
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    }).catch(function () { return null; });
  }

  function fallbackDetector() {
    return loadScript(data.decoderUrl).then(function () {
      var api = window.BarcodeDetectionAPI;
      api.setZXingModuleOverrides({
        locateFile: function (path) { return data.decoderBase + path; }
      });
      return new api.BarcodeDetector({ formats: ["qr_code"] });
    });
  }

  function getDetector() {
    if (detector) { return Promise.resolve(detector); }
    return nativeDetector().then(function (found) {
      return found || fallbackDetector();
    }).then(function (found) { detector = found; return found; });
  }

  function stopCamera() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    cameraBox.hidden = true;
    cameraToggle.textContent = data.textStartCamera;
  }

  function scanFrame() {
    if (!stream) { return; }
    if (video.readyState < 2 || busy || !answer.hidden) {
      window.setTimeout(scanFrame, 250);
      return;
    }
    detector.detect(video).then(function (codes) {
      var value = codes.length ? codes[0].rawValue : "";
      var now = Date.now();
      if (value && (value !== lastValue || now - lastValueAt > 4000)) {
        lastValue = value;
        lastValueAt = now;
        if (navigator.vibrate) { navigator.vibrate(80); }
        send({ code: value });
      }
    }).catch(function () { /* a frame that could not be read */ }).then(function () {
      window.setTimeout(scanFrame, 200);
    });
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      cameraMessage.textContent = data.textNoCamera;
      return;
    }
    getDetector().then(function () {
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    }, function () {
      cameraMessage.textContent = data.textNoCamera;
      throw new Error("no detector");
    }).then(function (media) {
      stream = media;
      video.srcObject = media;
      cameraBox.hidden = false;
      cameraMessage.textContent = "";
      cameraToggle.textContent = data.textStopCamera;
      return video.play();
    }).then(scanFrame).catch(function (error) {
      if (!cameraMessage.textContent) { cameraMessage.textContent = data.textCameraDenied; }
      if (error && error.message !== "no detector") { stopCamera(); }
    });
  }

  cameraToggle.addEventListener("click", function () {
    if (stream) { stopCamera(); } else { startCamera(); }
  });

  if (codeInput) { codeInput.focus(); }
})();

/* Progressive enhancement only: every page works without JavaScript. */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  /* Confirmation for destructive forms. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  /* Need form: the classifier's suggestions as the officer types. */
  function needForm(form) {
    var description = form.querySelector("[data-classify]");
    var box = form.querySelector("#saran");
    var category = form.querySelector("#f-category");
    var quantity = form.querySelector("#f-quantity");
    var unit = form.querySelector("#f-unit");
    var neededBy = form.querySelector("#f-needed_by");
    var certsCustom = form.querySelector("#f-certs_custom");
    var certBoxes = form.querySelectorAll("input[name=required_certs]");
    var categories = JSON.parse(form.getAttribute("data-categories") || "{}");
    var rules = JSON.parse(form.getAttribute("data-rules") || "[]");
    var lastText = "";
    var controller = null;

    function defaultCerts(code) {
      var info = categories[code];
      if (!info) { return []; }
      var certs = info.certs.slice();
      var day = neededBy && neededBy.value;
      rules.forEach(function (rule) {
        var applies = (rule.food && info.food) || rule.categories.indexOf(code) >= 0;
        if (applies && day && day >= rule.from && certs.indexOf(rule.certificate) < 0) {
          certs.push(rule.certificate);
        }
      });
      return certs;
    }

    function applyDefaults() {
      if (certsCustom.value === "1") { return; }
      var certs = defaultCerts(category.value);
      certBoxes.forEach(function (box) { box.checked = certs.indexOf(box.value) >= 0; });
      if (unit && !unit.value && categories[category.value]) {
        unit.placeholder = categories[category.value].unit;
      }
    }

    certBoxes.forEach(function (box) {
      box.addEventListener("change", function () { certsCustom.value = "1"; });
    });
    category.addEventListener("change", applyDefaults);
    if (neededBy) { neededBy.addEventListener("change", applyDefaults); }

    function render(data) {
      box.textContent = "";
      if (!data.top || !data.top.length) { box.hidden = true; return; }
      var title = document.createElement("p");
      title.textContent = "Saran kategori:";
      box.appendChild(title);
      var list = document.createElement("ul");
      data.top.forEach(function (item) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "suggestion";
        button.setAttribute("data-category", item.category);
        button.setAttribute("aria-pressed", String(category.value === item.category));
        button.textContent = item.name + " (" + Math.round(item.probability * 100) + "%)";
        button.addEventListener("click", function () {
          category.value = item.category;
          applyDefaults();
          list.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
        });
        li.appendChild(button);
        list.appendChild(li);
      });
      box.appendChild(list);
      if (data.quantity && data.quantity.value) {
        var q = document.createElement("p");
        q.textContent = "Jumlah terbaca: " + data.quantity.value + (data.quantity.unit ? " " + data.quantity.unit : "") + " ";
        var fill = document.createElement("button");
        fill.type = "button";
        fill.className = "small fill-quantity";
        fill.textContent = "Isi jumlah dan satuan";
        fill.addEventListener("click", function () {
          quantity.value = String(Math.round(Number(data.quantity.value)));
          if (data.quantity.unit) { unit.value = data.quantity.unit; }
          quantity.focus();
        });
        q.appendChild(fill);
        box.appendChild(q);
      }
      box.hidden = false;
    }

    var ask = debounce(function () {
      var text = description.value.trim();
      if (text.length < 3 || text === lastText) { return; }
      lastText = text;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(description.getAttribute("data-classify") + "?text=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (data) { render(data); }
      }).catch(function () { /* suggestions are optional */ });
    }, 350);

    description.addEventListener("input", ask);
    applyDefaults();
  }

  /* Shortlist: filter by eligibility and text without reloading. */
  function shortlistFilter(form) {
    var eligible = form.querySelector("[data-filter-eligible]");
    var search = form.querySelector("[data-filter-text]");
    var items = document.querySelectorAll(search.getAttribute("data-filter-text"));
    function apply() {
      var term = search.value.trim().toLowerCase();
      items.forEach(function (item) {
        var hide = (eligible.checked && item.getAttribute("data-eligible") !== "ya") ||
          (term && (item.getAttribute("data-text") || "").indexOf(term) < 0);
        item.hidden = Boolean(hide);
      });
    }
    eligible.addEventListener("change", function (event) { event.preventDefault(); apply(); });
    search.addEventListener("input", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    apply();
  }

  /* Plan page: poll progress until the run ends, then reload. */
  function pollPlan(box) {
    var url = box.getAttribute("data-poll");
    var bar = box.querySelector("progress");
    var message = box.querySelector("#progress-message");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { setTimeout(tick, 3000); return; }
          bar.value = data.progress;
          bar.textContent = Math.round(data.progress * 100) + "%";
          message.textContent = data.message || "";
          if (data.done) { window.location.reload(); } else { setTimeout(tick, 1000); }
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    setTimeout(tick, 700);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.need-form").forEach(needForm);
    document.querySelectorAll("form.shortlist-filter").forEach(shortlistFilter);
    document.querySelectorAll("[data-poll]").forEach(pollPlan);
    var summary = document.getElementById("ringkasan-galat");
    if (summary) { summary.focus(); }
  });
})();

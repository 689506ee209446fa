/* Occupation autocomplete: an ARIA 1.2 combobox over the app's own KldB search endpoint.
   Without JavaScript the field still accepts "12345 Titel" or a bare five-digit code. */
(function () {
  "use strict";
  var counter = 0;

  function setup(input) {
    var url = input.getAttribute("data-autocomplete");
    var listId = "ac-" + (++counter);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "ac-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Vorschläge");
    list.hidden = true;
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var timer = null, active = -1, items = [], seq = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var nodes = list.children;
      for (var i = 0; i < nodes.length; i++) {
        nodes[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && nodes[index]) {
        input.setAttribute("aria-activedescendant", nodes[index].id);
        nodes[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    // data-append-to="ID": add the chosen code to that field's comma-separated list instead.
    var target = document.getElementById(input.getAttribute("data-append-to") || "");

    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      close();
      if (target) {
        var codes = target.value.split(",").map(function (c) { return c.trim(); })
          .filter(function (c) { return c; });
        if (codes.indexOf(item.code) < 0) { codes.push(item.code); }
        target.value = codes.join(", ");
        input.value = "";
        status.textContent = "Hinzugefügt: " + item.code + " " + item.title;
        return;
      }
      input.value = item.code + " " + item.title;
      status.textContent = "Ausgewählt: " + item.title;
    }

    function render(data) {
      items = data;
      list.textContent = "";
      data.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var code = document.createElement("span");
        code.className = "code";
        code.textContent = item.code;
        li.appendChild(code);
        li.appendChild(document.createTextNode(item.title));
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      var open = data.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      status.textContent = open ? data.length + " Vorschläge. Mit Pfeiltasten auswählen." : "Keine Vorschläge.";
    }

    function search() {
      var q = input.value.trim();
      if (q.length < 2 || /^\d{5}\s/.test(q)) { close(); return; }
      var mine = ++seq;
      fetch(url + "?q=" + encodeURIComponent(q), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) { if (mine === seq) { render(data); } })
        .catch(function () { status.textContent = "Vorschläge konnten nicht geladen werden."; });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 180);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { search(); return; }
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("input[data-autocomplete]").forEach(setup);
})();

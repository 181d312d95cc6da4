/* Pain map on the intake form: turns the body pictures in templates/patients/intake/_bodymap.html
   into a second way of ticking the "regions" checkboxes. The checkboxes stay the real input (and
   the fallback without JavaScript); every change goes through them. No inline code (CSP). */
(function () {
  "use strict";

  function labelText(box) {
    var label = box.id ? document.querySelector('label[for="' + box.id + '"]') : null;
    return label ? label.textContent.trim() : box.value;
  }

  function statusText(chosen) {
    if (chosen.length === 0) {
      return "No areas chosen.";
    }
    var count = chosen.length === 1 ? "1 area chosen: " : chosen.length + " areas chosen: ";
    return count + chosen.join(", ");
  }

  function setUp(map) {
    var status = map.querySelector("[data-bodymap-status]");
    var pairs = [];

    Array.prototype.forEach.call(map.querySelectorAll("[data-region]"), function (region) {
      var box = document.getElementById("bodymap-" + region.getAttribute("data-region"));
      if (!box || box.type !== "checkbox") {
        region.setAttribute("aria-disabled", "true");
        region.removeAttribute("tabindex");
        return;
      }
      pairs.push({ region: region, box: box });
    });

    // The status lists the areas in the order of the checkbox list.
    pairs.sort(function (a, b) {
      return a.box.compareDocumentPosition(b.box) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });

    function show(pair) {
      var on = pair.box.checked;
      pair.region.setAttribute("aria-checked", on ? "true" : "false");
      pair.region.classList.toggle("selected", on);
      if (pair.box.disabled) {
        pair.region.setAttribute("aria-disabled", "true");
      } else {
        pair.region.removeAttribute("aria-disabled");
      }
    }

    function updateStatus() {
      if (!status) {
        return;
      }
      var chosen = pairs.filter(function (pair) {
        return pair.box.checked;
      }).map(function (pair) {
        return labelText(pair.box);
      });
      status.textContent = statusText(chosen);
    }

    function syncAll() {
      pairs.forEach(show);
      updateStatus();
    }

    function toggle(pair) {
      if (pair.box.disabled) {
        return;
      }
      pair.box.checked = !pair.box.checked;
      // Let the checkbox tell everyone (this map included) that it changed.
      pair.box.dispatchEvent(new Event("change", { bubbles: true }));
    }

    pairs.forEach(function (pair) {
      pair.region.addEventListener("click", function () {
        toggle(pair);
      });
      pair.region.addEventListener("keydown", function (event) {
        if (event.key === " " || event.key === "Spacebar" || event.key === "Enter") {
          event.preventDefault(); // no page scroll, no form submit
          if (!event.repeat) {
            toggle(pair);
          }
        }
      });
      pair.box.addEventListener("change", function () {
        show(pair);
        updateStatus();
      });
    });

    // The browser may restore ticked boxes (back button, form reset) without a change event.
    window.addEventListener("pageshow", syncAll);
    var form = pairs.length ? pairs[0].box.form : null;
    if (form) {
      form.addEventListener("reset", function () {
        window.setTimeout(syncAll, 0);
      });
    }

    map.classList.remove("d-none");
    syncAll();
    foldList(map.parentNode);
  }

  // With the map working, the list is folded behind its button: one way to choose for
  // everyone, the other a press away (and the way to the boxes for a screen reader).
  function foldList(field) {
    var toggle = field.querySelector("[data-bodymap-toggle]");
    var lists = field.querySelector("[data-bodymap-lists]");
    if (!toggle || !lists) {
      return;
    }
    function show(open) {
      lists.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = open ? "Hide the list" : "Choose from a list instead";
    }
    toggle.addEventListener("click", function () {
      show(lists.hidden);
    });
    toggle.classList.remove("d-none");
    show(false);
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-bodymap]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();

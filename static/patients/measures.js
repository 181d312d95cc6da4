/* The intake's measures step (templates/public/intake/step_measures.html): the fourth and
   fifth activities, while empty, wait behind "Add another activity"; each press shows the
   next and moves the focus to its name. Without JavaScript all five are shown. */
(function () {
  "use strict";

  function setUp() {
    var add = document.querySelector("[data-psfs-add]");
    var spares = Array.prototype.slice.call(document.querySelectorAll("[data-psfs-spare]"));
    if (!add || spares.length === 0) {
      return;
    }
    spares.forEach(function (row) {
      row.hidden = true;
    });
    add.classList.remove("d-none");
    add.addEventListener("click", function () {
      var row = spares.shift();
      row.hidden = false;
      var name = row.querySelector("input[type=text], input:not([type])");
      if (name) {
        name.focus();
      }
      if (spares.length === 0) {
        add.remove();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

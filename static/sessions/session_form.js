// The point picker on the session form: type-ahead search, chips with a side toggle,
// whole protocols in one action, a live needle count, and Ctrl+Enter to save the draft;
// the patient's story folded on a phone.
// Without this script the same form works as a plain formset.
(function () {
  "use strict";

  // The patient's story is open beside the form on a wide screen (Bootstrap's xl), open
  // above it on a tablet (md), and folded above it on a phone, where the form comes first.
  const story = document.getElementById("story");
  if (story && !window.matchMedia("(min-width: 768px)").matches) story.open = false;

  const form = document.getElementById("session-form");
  if (!form) return;
  const rows = document.getElementById("point-rows");
  const template = document.getElementById("point-row-template");
  const total = form.querySelector("input[name='points-TOTAL_FORMS']");
  const search = document.getElementById("point-search");
  const results = document.getElementById("point-results");
  const needleCount = document.getElementById("needle-count");
  const protocols = JSON.parse(document.getElementById("protocol-data").textContent);
  const patientFlags = JSON.parse(document.getElementById("patient-flags").textContent);
  // The point flags' labels and the messages below, as the server types them (sessions.safety).
  const safety = JSON.parse(document.getElementById("picker-safety").textContent);
  const safetyLive = document.getElementById("safety-live");
  const cautionBox = document.getElementById("cautions");
  const cautionList = document.getElementById("caution-list");
  const electrical = document.getElementById("id_electrical");
  let found = [];
  let active = -1;
  let timer = null;

  document.getElementById("picker").classList.remove("d-none");
  rows.querySelectorAll(".point-row-blank").forEach((row) => row.classList.add("d-none"));

  function liveRows() {
    return Array.from(rows.querySelectorAll(".point-row")).filter(
      (row) => !row.classList.contains("d-none") && !row.querySelector(".point-delete").checked &&
        row.querySelector(".point-code").value.trim() !== ""
    );
  }

  function updateCount() {
    updateSafety();
    let needles = 0;
    liveRows().forEach((row) => {
      // The row's own count per side, else its point's (CLINICAL.md 3: Baxie 4 a hand).
      const own = parseInt(row.querySelector(".point-needles").value, 10);
      const perSide = own > 0 ? own : parseInt(row.dataset.needles || "1", 10);
      needles += perSide * (row.querySelector(".point-side").value === "B" ? 2 : 1);
    });
    needleCount.textContent = needles === 1 ? "1 needle" : needles + " needles";
  }

  function says(name, code = "", limb = "") {
    return safety.messages[name].replace("{code}", code).replace("{limb}", limb);
  }

  function keyOf(name, code = "") {
    return safety.keys[name].replace("{code}", code);
  }

  // The limb with lymphoedema that a point needled on `side` is on, by name, or "".
  function affectedLimb(row, side) {
    const lymph = patientFlags.lymphoedema;
    if (!lymph || row.dataset.limb !== lymph.limb) return "";
    if (side === "B" && lymph.side === "B") return lymph.names.B;
    if (lymph.side === "B") return lymph.names[side] || "";
    return side === "B" || side === lymph.side ? lymph.names[lymph.side] : "";
  }

  // The acknowledgement boxes ticked so far, kept as the list is drawn again.
  const ticked = new Set(
    Array.from(cautionList.querySelectorAll("input:checked")).map((box) => box.value)
  );
  cautionList.addEventListener("change", (event) => {
    if (event.target.checked) ticked.add(event.target.value);
    else ticked.delete(event.target.value);
  });

  function drawCautions(cautions) {
    cautionList.replaceChildren(...cautions.map((caution, index) => {
      const line = document.createElement("div");
      line.className = "form-check";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.className = "form-check-input";
      box.name = "acknowledge";
      box.value = caution.key;
      box.id = "ack-live-" + index;
      box.checked = ticked.has(caution.key);
      const text = document.createElement("label");
      text.className = "form-check-label";
      text.htmlFor = box.id;
      text.textContent = caution.message + " ";
      if (caution.beforeSaving) {
        const badge = document.createElement("span");
        badge.className = "badge text-bg-warning";
        badge.textContent = "needed to save";
        text.appendChild(badge);
      }
      line.append(box, text);
      return line;
    }));
    cautionBox.classList.toggle("d-none", cautions.length === 0);
  }

  // What the server will say on save, shown as points are picked (CLINICAL.md section 4):
  // the refusal above, each caution with its acknowledgement box below.
  function updateSafety() {
    const notes = [];
    const cautions = [];
    const seen = new Set();
    function add(key, message, beforeSaving = false) {
      if (seen.has(key)) return;
      seen.add(key);
      cautions.push({ key: key, message: message, beforeSaving: beforeSaving });
    }
    if (electrical && electrical.checked && patientFlags.implanted_device) {
      notes.push(says("electro_refused"));
    }
    if (electrical && electrical.checked && patientFlags.epilepsy) {
      add(keyOf("epilepsy"), says("epilepsy"));
    }
    liveRows().forEach((row) => {
      const code = row.querySelector(".point-code").value.trim().toUpperCase();
      const flags = (row.dataset.flags || "").split("|");
      if (patientFlags.pregnant && flags.includes(safety.flags.pregnancy_caution)) {
        add(keyOf("pregnancy_caution", code), says("pregnancy_caution", code), true);
      }
    });
    safety.conditions.forEach((caution) => add(caution.key, caution.message));
    liveRows().forEach((row) => {
      const code = row.querySelector(".point-code").value.trim().toUpperCase();
      const flags = (row.dataset.flags || "").split("|");
      if (flags.includes(safety.flags.lung_field)) {
        add(keyOf("lung_field", code), says("lung_field", code));
      }
      if (flags.includes(safety.flags.vessel_or_eye)) {
        add(keyOf("vessel_or_eye", code), says("vessel_or_eye", code));
      }
      if (flags.includes(safety.flags.do_not_needle)) {
        add(keyOf("do_not_needle", code), says("do_not_needle", code));
      }
      const limb = affectedLimb(row, row.querySelector(".point-side").value);
      if (limb) {
        add(keyOf("lymphoedema_point", code), says("lymphoedema_point", code, limb));
      }
    });
    safetyLive.replaceChildren(...notes.map((text) => {
      const line = document.createElement("div");
      line.textContent = text;
      return line;
    }));
    safetyLive.classList.toggle("d-none", notes.length === 0);
    drawCautions(cautions);
  }

  function announce(text) {
    needleCount.textContent = text;
    window.setTimeout(updateCount, 2500);
  }

  function label(row, selector, text) {
    const field = row.querySelector(selector);
    const lab = row.querySelector("label[for='" + field.id + "']");
    if (lab) lab.textContent = text;
  }

  function addPoint(point, side) {
    const code = point.code;
    const taken = liveRows().find(
      (row) => row.querySelector(".point-code").value.toUpperCase() === code &&
        (row.querySelector(".point-side").value === side || side === "B" ||
         row.querySelector(".point-side").value === "B")
    );
    if (taken) return false;
    const index = parseInt(total.value, 10);
    const holder = document.createElement("ul");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    const row = holder.firstElementChild;
    row.classList.remove("point-row-blank");
    row.querySelector(".point-code").value = code;
    row.querySelector(".point-side").value = side;
    row.querySelector(".point-name").textContent = point.pinyin;
    row.dataset.flags = point.flags.join("|");
    row.dataset.limb = point.limb || "";
    row.dataset.needles = String(point.needles_per_side || 1);
    row.querySelector(".point-needles").placeholder = String(point.needles_per_side || 1);
    label(row, ".point-side", "Side for " + code);
    label(row, ".point-needles", "Needles for " + code + " (per side)");
    label(row, ".point-depth", "Depth in mm for " + code);
    label(row, ".point-diameter", "Needle diameter in mm for " + code);
    label(row, ".point-length", "Needle length in mm for " + code);
    const remove = row.querySelector("label[for='" + row.querySelector(".point-delete").id + "']");
    const which = document.createElement("span");
    which.className = "visually-hidden";
    which.textContent = " " + code;
    remove.appendChild(which);
    label(row, ".point-technique", "Stimulation for " + code);
    const firstBlank = rows.querySelector(".point-row-blank");
    rows.insertBefore(row, firstBlank);
    total.value = String(index + 1);
    return true;
  }

  function closeResults() {
    results.innerHTML = "";
    found = [];
    active = -1;
    search.setAttribute("aria-expanded", "false");
    search.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    active = index;
    results.querySelectorAll("[role='option']").forEach((option, i) => {
      option.classList.toggle("active", i === index);
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0) search.setAttribute("aria-activedescendant", "point-option-" + index);
  }

  function showResults(points) {
    closeResults();
    found = points;
    points.forEach((point, i) => {
      const option = document.createElement("li");
      option.id = "point-option-" + i;
      option.className = "list-group-item list-group-item-action";
      option.setAttribute("role", "option");
      option.textContent = point.code + " " + point.pinyin + " · " + point.channel + " · " +
        point.region + (point.needles_per_side > 1 ? " · " + point.needles_per_side +
        " needles a side" : "") + (point.flags.length ? " · " + point.flags.join(", ") : "");
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(i);
      });
      results.appendChild(option);
    });
    search.setAttribute("aria-expanded", points.length ? "true" : "false");
    if (points.length) highlight(0);
  }

  function choose(index) {
    const point = found[index];
    if (!point) return;
    const added = addPoint(point, point.side);
    closeResults();
    search.value = "";
    updateCount();
    if (!added) announce(point.code + " is already in this session.");
  }

  search.addEventListener("input", () => {
    window.clearTimeout(timer);
    const query = search.value.trim();
    if (!query) {
      closeResults();
      return;
    }
    timer = window.setTimeout(() => {
      fetch(search.dataset.url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then((response) => (response.ok ? response.json() : { points: [] }))
        .then((data) => {
          if (search.value.trim() === query) showResults(data.points);
        });
    }, 120);
  });

  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && found.length) {
      event.preventDefault();
      highlight((active + 1) % found.length);
    } else if (event.key === "ArrowUp" && found.length) {
      event.preventDefault();
      highlight((active - 1 + found.length) % found.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (found.length) choose(active < 0 ? 0 : active);
    } else if (event.key === "Escape") {
      closeResults();
    }
  });
  search.addEventListener("blur", () => window.setTimeout(closeResults, 150));

  const protocolButton = document.getElementById("add-protocol");
  if (protocolButton) {
    protocolButton.addEventListener("click", (event) => {
      event.preventDefault();
      const chosen = document.getElementById("protocol").value;
      const protocol = protocols.find((p) => String(p.id) === chosen);
      if (!protocol) return;
      const added = protocol.points.filter((point) => addPoint(point, point.side)).length;
      updateCount();
      announce("Added " + added + " points from " + protocol.name + ".");
    });
  }

  rows.addEventListener("change", (event) => {
    if (event.target.classList.contains("point-delete")) {
      event.target.closest(".point-row").classList.toggle("point-removed", event.target.checked);
    }
    updateCount();
  });

  // A row's own needle count, as it is typed.
  rows.addEventListener("input", (event) => {
    if (event.target.classList.contains("point-needles")) updateCount();
  });

  if (electrical) electrical.addEventListener("change", updateSafety);

  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      document.getElementById("save-draft").click();
    }
  });

  updateCount();
})();

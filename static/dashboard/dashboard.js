// The dashboard's "Time to each phase" charts (Chart.js, vendored): Kaplan-Meier step
// lines of the share of patients who have reached phases 2 and 3, by weeks since intake
// and by sessions before the phase. The same numbers are in the tables and the CSV.
(function () {
  "use strict";

  const source = document.getElementById("time-to-phase-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  // The phases' colours on the patient progress page (static/patients/progress.js).
  const COLOURS = { 2: "rgb(255, 193, 7)", 3: "rgb(25, 135, 84)" };
  const AXES = { weeks: "Weeks since intake", sessions: "Sessions before reaching the phase" };
  const NAMES = { 2: "Phase 2 reached", 3: "Phase 3 reached" };

  function draw(axis) {
    const canvas = document.getElementById("time-to-phase-" + axis);
    if (!canvas) return;
    const datasets = [2, 3].map((phase) => ({
      label: NAMES[phase],
      data: data[axis][phase].map(([x, y]) => ({ x, y })),
      borderColor: COLOURS[phase],
      backgroundColor: COLOURS[phase],
      borderWidth: 3,
      borderDash: phase === 3 ? [8, 4] : [],
      stepped: "before",
      pointRadius: 0,
      pointHitRadius: 6,
    }));
    new window.Chart(canvas, {
      type: "line",
      data: { datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "nearest", intersect: false },
        scales: {
          x: {
            type: "linear",
            min: 0,
            title: { display: true, text: AXES[axis] },
            ticks: { precision: 0 },
          },
          y: {
            min: 0,
            max: 100,
            title: { display: true, text: "Share reached (%)" },
            ticks: { callback: (value) => value + " %" },
          },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              title: (items) => AXES[axis] + ": " + items[0].parsed.x,
              label: (item) => item.dataset.label + ": " + item.parsed.y + " %",
            },
          },
        },
      },
    });
  }

  draw("weeks");
  draw("sessions");
  document.documentElement.dataset.chartsDrawn = "true";
})();

// The dashboard's "Phase flow over time" chart: stacked bars of the patients in phases 1, 2
// and 3 at the end of each week, with lines for new patients and discharges on a second
// axis. Selecting a bar opens the list of its patients (the table's numbers link there too).
(function () {
  "use strict";

  const source = document.getElementById("phase-flow-data");
  const canvas = document.getElementById("phase-flow-chart");
  if (!source || !canvas || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  // The phases' colours on the patient progress page (static/patients/progress.js
  // BAND_COLOURS), opaque enough to read as bars; phases 2 and 3 as in "Time to each phase".
  const COLOURS = {
    1: "rgba(214, 51, 132, 0.75)",
    2: "rgba(255, 193, 7, 0.85)",
    3: "rgba(25, 135, 84, 0.8)",
  };
  const NAMES = {
    1: "Phase 1: calm things down",
    2: "Phase 2: build confidence",
    3: "Phase 3: move more",
  };
  const phases = [1, 2, 3].map((phase) => ({
    type: "bar",
    label: NAMES[phase],
    phase,
    data: data.phases[phase],
    backgroundColor: COLOURS[phase],
    stack: "phases",
    yAxisID: "y",
    order: 2,
  }));
  const line = (label, values, colour, dash) => ({
    type: "line",
    label,
    data: values,
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: 2,
    borderDash: dash,
    pointRadius: data.weeks.length > 26 ? 0 : 3,
    pointHitRadius: 6,
    yAxisID: "events",
    order: 1,
  });
  const datasets = phases.concat([
    line("New patients (accepted intakes)", data.new, "rgb(13, 110, 253)", []),
    line("Discharges", data.discharged, "rgb(33, 37, 41)", [6, 4]),
  ]);

  function drillDown(index, phase) {
    const query = new URLSearchParams({ phase: String(phase), week: data.weeks[index] });
    const filters = data.filters ? "&" + data.filters : "";
    window.location.assign(data.drill + "?" + query.toString() + filters);
  }

  new window.Chart(canvas, {
    data: { labels: data.labels, datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      onClick(event, elements, chart) {
        const hit = chart.getElementsAtEventForMode(event, "nearest", { intersect: true }, false);
        const bar = hit.find((element) => chart.data.datasets[element.datasetIndex].phase);
        if (bar) drillDown(bar.index, chart.data.datasets[bar.datasetIndex].phase);
      },
      onHover(event, elements, chart) {
        const hit = chart.getElementsAtEventForMode(event, "nearest", { intersect: true }, false);
        const onBar = hit.some((element) => chart.data.datasets[element.datasetIndex].phase);
        event.native.target.style.cursor = onBar ? "pointer" : "default";
      },
      scales: {
        x: {
          stacked: true,
          title: { display: true, text: "Week starting" },
          ticks: { autoSkip: true, maxRotation: 0 },
        },
        y: {
          stacked: true,
          beginAtZero: true,
          grace: "5%",
          title: { display: true, text: "Patients in the phase" },
          ticks: { precision: 0 },
        },
        events: {
          position: "right",
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          title: { display: true, text: "New patients, discharges" },
          ticks: { precision: 0 },
        },
      },
      plugins: {
        // Phases first, as drawn from the bottom up, then the lines.
        legend: {
          position: "bottom",
          labels: { sort: (a, b) => a.datasetIndex - b.datasetIndex },
        },
        tooltip: { callbacks: { title: (items) => "Week of " + data.titles[items[0].dataIndex] } },
      },
    },
  });
  document.documentElement.dataset.flowDrawn = "true";
})();

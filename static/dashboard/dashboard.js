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

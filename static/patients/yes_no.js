/* The intake's health and symptom steps (templates/public/intake/step_health.html,
   step_red_flags.html), with JavaScript:
   - "None of these apply to me", below a group of questions ([data-answer-group]), answers
     No to each question of the group not yet answered, and says how many it answered; a
     Yes (or Not sure) stays as it is. The patient sees every answer, and can change any.
   - A field shown only for some answers ([data-shown-when="pregnant"] with
     data-shown-values="yes unsure") waits hidden until one of them is chosen, unless it
     has a value or an error already.
   Without JavaScript the button is not there, every field shows, and each question is
   answered on its own; the server asks for every answer either way. */
(function () {
  "use strict";

  function questions(group) {
    var names = [];
    group.querySelectorAll("input[type=radio][value=no]").forEach(function (input) {
      if (names.indexOf(input.name) === -1) {
        names.push(input.name);
      }
    });
    return names;
  }

  function checked(group, name) {
    return group.querySelector("input[name='" + name + "']:checked");
  }

  function setUpGroup(group) {
    var row = group.querySelector("[data-none-of-these-row]");
    var button = group.querySelector("[data-none-of-these]");
    var said = group.querySelector("[data-none-of-these-said]");
    var names = questions(group);

    function relabel() {
      var anyOther = names.some(function (name) {
        var input = checked(group, name);
        return input && input.value !== "no";
      });
      button.textContent = anyOther ? "No to all the others" : "None of these apply to me";
    }

    button.addEventListener("click", function () {
      var answered = 0;
      names.forEach(function (name) {
        if (!checked(group, name)) {
          var no = group.querySelector("input[name='" + name + "'][value=no]");
          no.checked = true;
          no.dispatchEvent(new Event("change", { bubbles: true }));
          answered += 1;
        }
      });
      said.textContent = answered
        ? "Answered No to " + answered + (answered === 1 ? " question" : " questions") +
          ". If one of them does apply to you, change it to Yes."
        : "Every question here is answered.";
    });
    group.addEventListener("change", relabel);
    relabel();
    row.hidden = false;
  }

  function setUpShownWhen(field) {
    var name = field.getAttribute("data-shown-when");
    var values = field.getAttribute("data-shown-values").split(" ");
    var form = field.closest("form");

    function update() {
      var input = form.querySelector("input[name='" + name + "']:checked");
      var hasValue = field.querySelector("input[value]:not([value=''])");
      var hasError = field.querySelector(".is-invalid");
      field.hidden = !((input && values.indexOf(input.value) !== -1) || hasValue || hasError);
    }

    form.addEventListener("change", function (event) {
      if (event.target.name === name) {
        update();
      }
    });
    update();
  }

  function setUp() {
    document.querySelectorAll("[data-answer-group]").forEach(setUpGroup);
    document.querySelectorAll("[data-shown-when]").forEach(setUpShownWhen);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

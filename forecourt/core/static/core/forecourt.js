// Forecourt's few behaviours, from a static file: the CSP allows no inline script.
// Every page works without this file; it only adds the phone menu button, the "/" key
// for the header search, dialog buttons for browsers without invoker commands, and tabs.
(function () {
  "use strict";

  function isTyping(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
  }

  // The phone menu: the button shows and hides #site-menu (wide screens always show it).
  function setUpMenu() {
    var button = document.querySelector(".menu-button");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) return;
    document.documentElement.classList.add("menu-collapsible");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
  }

  // "/" anywhere but in a field jumps to the header search (opening the phone menu first).
  function setUpSearchKey() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      var box = document.getElementById("global-search");
      if (!box) return;
      event.preventDefault();
      var button = document.querySelector(".menu-button");
      var menu = document.getElementById("site-menu");
      if (button && menu && !menu.classList.contains("open") && !box.offsetParent) {
        button.click();
      }
      box.focus();
      box.select();
    });
  }

  // Buttons that open a dialog: <button commandfor="id" command="show-modal"> works natively
  // in current browsers; older ones get the same from here.
  function setUpDialogs() {
    if ("command" in HTMLButtonElement.prototype) return;
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button[commandfor]");
      if (!button) return;
      var dialog = document.getElementById(button.getAttribute("commandfor"));
      if (!dialog || typeof dialog.showModal !== "function") return;
      var command = button.getAttribute("command");
      if (command === "show-modal") dialog.showModal();
      else if (command === "close") dialog.close();
    });
  }

  // Tabs: <div class="tabs"> holds a hidden [role=tablist] of buttons and [role=tabpanel]
  // sections. Without script every section shows, one below the other.
  function setUpTabs(root) {
    var list = root.querySelector("[role=tablist]");
    if (!list) return;
    var tabs = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));
    function select(tab, focus) {
      tabs.forEach(function (other) {
        var selected = other === tab;
        other.setAttribute("aria-selected", String(selected));
        other.tabIndex = selected ? 0 : -1;
        var panel = document.getElementById(other.getAttribute("aria-controls"));
        if (panel) panel.hidden = !selected;
      });
      if (focus) tab.focus();
    }
    tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () { select(tab, false); });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
        if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
        if (event.key === "Home") next = tabs[0];
        if (event.key === "End") next = tabs[tabs.length - 1];
        if (next) { event.preventDefault(); select(next, true); }
      });
    });
    list.hidden = false;
    root.classList.add("tabs-ready");
    select(tabs[0], false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUpSearchKey();
    setUpDialogs();
    document.querySelectorAll(".tabs").forEach(setUpTabs);
  });
})();

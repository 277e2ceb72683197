// hookd portal: progressive enhancement only. Every page works without this file; with it,
// destructive actions ask in a dialog, menus open by click, keyboard or right-click,
// searches filter as you type, and forms show only the fields that apply.
(function () {
  "use strict";
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  // Theme: the switch cycles system -> light -> dark and remembers the choice.
  function applyTheme(t) {
    if (t === "light" || t === "dark") document.documentElement.setAttribute("data-theme", t);
    else document.documentElement.removeAttribute("data-theme");
  }
  try { applyTheme(localStorage.getItem("hookd-theme")); } catch (e) { /* storage off */ }

  function ready() {
    $$("[data-theme-switch]").forEach(function (b) {
      var label = function () {
        var t = document.documentElement.getAttribute("data-theme") || "system";
        b.textContent = "Theme: " + t;
      };
      label();
      b.addEventListener("click", function () {
        var cur = document.documentElement.getAttribute("data-theme");
        var next = cur === null ? "light" : cur === "light" ? "dark" : null;
        applyTheme(next);
        try { next ? localStorage.setItem("hookd-theme", next) : localStorage.removeItem("hookd-theme"); } catch (e) { /* off */ }
        label();
      });
    });

    // Sign-in: the link's secret is in the fragment, which never reaches a server log or a
    // Referer; post it once and forget it.
    var login = $("#login-exchange");
    if (login) {
      var secret = location.hash.replace(/^#/, "");
      history.replaceState(null, "", location.pathname);
      if (secret) { login.elements.secret.value = secret; login.submit(); }
    }

    // Confirmations: a form with data-confirm asks in a dialog first.
    var dialog = $("#confirm");
    function bindConfirms(root) {
    $$("form[data-confirm]", root).forEach(function (f) {
      f.addEventListener("submit", function (ev) {
        if (f.dataset.confirmed === "yes" || !dialog) return;
        ev.preventDefault();
        $("#confirm-text").textContent = f.dataset.confirm;
        $("#confirm-ok").textContent = f.dataset.confirmLabel || "Delete";
        dialog.returnValue = "";
        dialog.showModal();
        dialog.onclose = function () {
          if (dialog.returnValue === "ok") {
            var c = f.elements.confirm;
            if (c) c.value = "yes";
            f.dataset.confirmed = "yes";
            f.requestSubmit ? f.requestSubmit() : f.submit();
          }
        };
      });
    });
    }

    // Row checkboxes enable the bulk delete button and fill its form.
    var bulk = $("#bulk-delete");
    if (bulk) {
      var boxes = $$("input[data-row-check]");
      var all = $("#check-all");
      var sync = function () {
        var picked = boxes.filter(function (b) { return b.checked; });
        bulk.querySelector("button").disabled = picked.length === 0;
        bulk.dataset.confirm = "Delete " + picked.length + " webhook(s)? Their pending deliveries will not be sent. This cannot be undone.";
        $$("input[name=id]", bulk).forEach(function (i) { i.remove(); });
        picked.forEach(function (b) {
          var i = document.createElement("input");
          i.type = "hidden"; i.name = "id"; i.value = b.value; bulk.appendChild(i);
        });
      };
      boxes.forEach(function (b) { b.addEventListener("change", sync); });
      if (all) all.addEventListener("change", function () { boxes.forEach(function (b) { b.checked = all.checked; }); sync(); });
      sync();
    }

    // Menus: the gear button opens its menu; right-clicking a row opens the row's menu.
    function closeMenus(except) {
      $$(".menu").forEach(function (m) {
        if (m !== except) { m.hidden = true; var b = $("[aria-controls='" + m.id + "']"); if (b) b.setAttribute("aria-expanded", "false"); }
      });
    }
    // An open menu is placed beside its button in the window, not in the table (which
    // scrolls sideways and would clip it): below, or above where there is no room below.
    var opened = null;
    function place() {
      if (!opened || opened.menu.hidden) return;
      var r = opened.btn.getBoundingClientRect(), m = opened.menu, h = m.offsetHeight;
      var below = r.bottom + 2, above = r.top - h - 2;
      m.classList.add("placed");
      m.style.top = (below + h > window.innerHeight - 4 && above > 4 ? above : below) + "px";
      m.style.right = Math.max(4, window.innerWidth - r.right) + "px";
    }
    window.addEventListener("resize", place);
    window.addEventListener("scroll", place, true);
    function openMenu(btn) {
      var m = document.getElementById(btn.getAttribute("aria-controls"));
      closeMenus(m);
      m.hidden = false;
      opened = { btn: btn, menu: m };
      place();
      btn.setAttribute("aria-expanded", "true");
      var first = m.querySelector("button, a, select, input");
      if (first) first.focus();
    }
    // What rows carry (menus, copy buttons, confirmations), bound again when a live page
    // swaps its rows.
    function bindRows(root) {
    bindConfirms(root);
    $$("[data-menu-button]", root).forEach(function (btn) {
      btn.addEventListener("click", function (ev) {
        ev.stopPropagation();
        var m = document.getElementById(btn.getAttribute("aria-controls"));
        if (m.hidden) openMenu(btn); else closeMenus();
      });
    });
    $$("tr[data-menu]", root).forEach(function (row) {
      row.addEventListener("contextmenu", function (ev) {
        var btn = row.querySelector("[data-menu-button]");
        if (!btn) return;
        ev.preventDefault();
        openMenu(btn);
      });
    });
    $$(".menu", root).forEach(function (m) {
      // A click inside a menu (on its fields) leaves it open; one anywhere else closes it.
      m.addEventListener("click", function (ev) { ev.stopPropagation(); });
      m.addEventListener("keydown", function (ev) {
        var items = $$("button, a", m);
        var i = items.indexOf(document.activeElement);
        if (ev.key === "ArrowDown") { ev.preventDefault(); items[(i + 1) % items.length].focus(); }
        if (ev.key === "ArrowUp") { ev.preventDefault(); items[(i - 1 + items.length) % items.length].focus(); }
        if (ev.key === "Escape") {
          closeMenus();
          var b = $("[aria-controls='" + m.id + "']");
          if (b) b.focus();
        }
      });
    });
    bindCopy(root);
    }
    function bindCopy(root) {
    $$("[data-copy]", root).forEach(function (b) {
      b.addEventListener("click", function () {
        var text = b.dataset.copy;
        var done = function () { var old = b.getAttribute("aria-label"); b.setAttribute("aria-label", "Copied"); b.classList.add("copied"); setTimeout(function () { b.setAttribute("aria-label", old); }, 1500); toast("Copied to the clipboard"); };
        if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () { toast("Copy failed: select the text and copy it"); });
      });
    });
    }
    bindRows(document);
    document.addEventListener("click", function () { closeMenus(); });

    // Search: the magnifying glass opens the field; typing filters after a pause.
    $$("form.search").forEach(function (f) {
      var input = f.querySelector("input[name=q]");
      var btn = f.querySelector("[data-search-toggle]");
      if (btn && !input.value) f.classList.add("collapsed");
      if (btn) btn.addEventListener("click", function (ev) {
        if (f.classList.contains("collapsed")) { ev.preventDefault(); f.classList.remove("collapsed"); input.focus(); }
      });
      var timer;
      input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { f.submit(); }, 400); });
      if (input.value) { input.focus(); input.setSelectionRange(input.value.length, input.value.length); }
    });

    // Authentication: show the fields of the chosen type only.
    $$("select[data-auth-type]").forEach(function (sel) {
      var scope = sel.closest("[data-auth]");
      var show = function () {
        $$("[data-auth-fields]", scope).forEach(function (fs) {
          if (fs.closest("[data-auth]") !== scope) return;
          fs.hidden = fs.dataset.authFields !== sel.value;
          $$("input, textarea", fs).forEach(function (i) { i.disabled = fs.hidden; });
        });
      };
      sel.addEventListener("change", show);
      show();
    });
    var perOrg = $("#per-org-toggle");
    if (perOrg) {
      var box = $("#per-org");
      var sw = function () { box.hidden = !perOrg.checked; };
      perOrg.addEventListener("change", sw);
      sw();
    }

    // Rows that can be added and removed: custom headers, organization credentials.
    $$("[data-add-row]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var list = document.getElementById(btn.dataset.addRow);
        var tpl = document.getElementById(btn.dataset.addRow + "-template");
        var n = list.children.length + Math.floor(Math.random() * 1e6);
        var html = tpl.innerHTML.replace(/__N__/g, String(n));
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var row = holder.firstElementChild;
        list.appendChild(row);
        wireRow(row);
        var first = row.querySelector("input, select");
        if (first) first.focus();
      });
    });
    // A remove button removes its own row (an organization's row holds header rows of its own).
    function wireRemove(row) {
      $$("[data-remove-row]", row).forEach(function (b) {
        if (b.closest("[data-row]") === row) b.addEventListener("click", function () { row.remove(); });
      });
    }
    function wireRow(row) {
      wireRemove(row);
      $$("[data-row]", row).forEach(wireRemove);
      $$("select[data-auth-type]", row).forEach(function (sel) {
        var show = function () {
          $$("[data-auth-fields]", row).forEach(function (fs) {
            fs.hidden = fs.dataset.authFields !== sel.value;
            $$("input, textarea", fs).forEach(function (i) { i.disabled = fs.hidden; });
          });
        };
        sel.addEventListener("change", show);
        show();
      });
    }
    $$("[data-row]").forEach(wireRemove);

    // "Select all in group".
    $$("[data-select-group]").forEach(function (b) {
      b.addEventListener("click", function () {
        var boxes = $$("input[type=checkbox]", b.closest(".type-group"));
        var on = boxes.some(function (x) { return !x.checked; });
        boxes.forEach(function (x) { x.checked = on; });
      });
    });

    // Popovers (an event type's ?, a disabled webhook's red dot) open on hover and focus (by
    // CSS) and on click; one at a time; Escape or a click elsewhere closes them; each is moved
    // left as far as it must be to stay in the window.
    // Placed in the window (fixed), not in the table: inside a table that scrolls it was
    // clipped, and its overflow gave the table a scroll bar that moved the row under the pointer.
    function fit(h) {
      var pop = h.querySelector(".pop"), b = h.querySelector("button");
      if (!pop || !b) return;
      var r = b.getBoundingClientRect(), room = document.documentElement.clientWidth;
      var below = r.bottom + 4, h0 = pop.offsetHeight;
      pop.style.top = (below + h0 > window.innerHeight - 4 && r.top - h0 - 4 > 4 ? r.top - h0 - 4 : below) + "px";
      pop.style.left = Math.max(4, Math.min(r.left, room - pop.offsetWidth - 8)) + "px";
    }
    function closeHelps(except) {
      $$(".help.open").forEach(function (h) {
        if (h === except) return;
        h.classList.remove("open");
        var b = h.querySelector("button");
        if (b) b.setAttribute("aria-expanded", "false");
      });
    }
    $$(".help").forEach(function (h) {
      var show = function () { h.classList.remove("shut"); fit(h); };
      h.addEventListener("mouseenter", show);
      h.addEventListener("focusin", show);
      var b = h.querySelector("button");
      if (b) b.addEventListener("click", function (ev) {
        ev.preventDefault();
        ev.stopPropagation();
        closeHelps(h);
        h.classList.toggle("open");
        h.classList.remove("shut");
        b.setAttribute("aria-expanded", h.classList.contains("open"));
        fit(h);
      });
    });
    document.addEventListener("click", function () { closeHelps(); });
    window.addEventListener("scroll", function () { $$(".help.open").forEach(fit); }, true);
    document.addEventListener("keydown", function (ev) {
      if (ev.key !== "Escape") return;
      closeHelps();
      $$(".help").forEach(function (h) { h.classList.add("shut"); });
    });

    // Filter bars apply a changed choice at once (their button stays for browsers without script).
    $$("form[data-autosubmit] select").forEach(function (s) {
      s.addEventListener("change", function () { s.form.requestSubmit(); });
    });

    // Times in lists read relative ("3 min ago"); the exact UTC stays in the title (on hover)
    // and in datetime. Without script they read exact. Past a day the date stays.
    function relativeTimes(root) {
      $$("time[data-relative]", root).forEach(function (t) {
        var s = Math.round((Date.now() - Date.parse(t.getAttribute("datetime"))) / 1000);
        if (isNaN(s) || s >= 86400) return;
        t.textContent = s < 5 ? "just now" : s < 60 ? s + " s ago" : s < 3600 ? Math.floor(s / 60) + " min ago" : Math.floor(s / 3600) + " h ago";
      });
    }
    relativeTimes(document);
    setInterval(function () { relativeTimes(document); }, 15000);

    // Live pages: while the page is shown, ask every few seconds whether the org's history
    // or events changed (a token the server reads from the database at most once every 2 s
    // per org, however many pages ask), and only then load the page again and swap its rows.
    var live = $("[data-live]");
    if (live && window.fetch && window.DOMParser) {
      var busy = false;
      setInterval(function () {
        if (busy || document.visibilityState !== "visible" || (opened && !opened.menu.hidden)) return;
        busy = true;
        var same = { credentials: "same-origin", cache: "no-store" };
        fetch("/portal/live", same).then(function (r) { return r.ok ? r.text() : null; }).then(function (token) {
          if (!token || token === live.getAttribute("data-live")) return null;
          return fetch(location.href, same).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
            var fresh = html && new DOMParser().parseFromString(html, "text/html").querySelector("[data-live]");
            if (!fresh) return;
            live.innerHTML = fresh.innerHTML;
            live.setAttribute("data-live", fresh.getAttribute("data-live"));
            bindRows(live);
            relativeTimes(live);
            var said = $("#live-status");
            if (said) said.textContent = "Updated at " + new Date().toLocaleTimeString();
          });
        }).catch(function () { /* the next poll tries again */ }).then(function () { busy = false; });
      }, 3000);
    }

    // A test event's payload follows its type: the chosen type's example replaces the last
    // one shown, unless it was edited.
    $$("select[data-example-for]").forEach(function (sel) {
      var area = document.getElementById(sel.dataset.exampleFor);
      var shown = sel.selectedOptions[0] ? sel.selectedOptions[0].dataset.example : "";
      sel.addEventListener("change", function () {
        var next = sel.selectedOptions[0].dataset.example;
        if (area.value.trim() === shown.trim() || area.value.trim() === "") area.value = next;
        shown = next;
      });
    });

    // Toasts fade after a while.
    $$(".toast").forEach(function (t) { setTimeout(function () { t.classList.add("hide"); }, 6000); });
  }

  function toast(text) {
    var box = $(".toasts");
    if (!box) return;
    var t = document.createElement("div");
    t.className = "toast"; t.setAttribute("role", "status"); t.textContent = text;
    box.appendChild(t);
    setTimeout(function () { t.classList.add("hide"); }, 4000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();

#include "exsim/server/page.hpp"

namespace tb::exsim {

// Every value the page shows goes through textContent, never innerHTML: labels are user input.
std::string_view api_management_page() {
  static constexpr std::string_view kPage = R"PAGE(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>exsim · API Management</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  fieldset { border: 1px solid #ccc; border-radius: 6px; padding: 1rem; }
  label { display: block; margin: .4rem 0; }
  input[type=text] { width: 100%; box-sizing: border-box; padding: .3rem; }
  button { padding: .35rem .9rem; cursor: pointer; }
  .warn { background: #fff4d6; border: 1px solid #e6c260; padding: .6rem; border-radius: 6px; }
  .secret { background: #eef7ee; border: 1px solid #8c8; padding: .8rem; border-radius: 6px; }
  code { font-size: 13px; word-break: break-all; }
  table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd; padding: .35rem; text-align: left; vertical-align: top; }
  .err { color: #b00; }
</style>
</head>
<body>
<h1>exsim — API Management</h1>
<p class="warn">A local exchange simulator for tests and paper trading. Keys made here work only against this simulator.
The admin API has no login: never expose this port beyond 127.0.0.1.</p>

<form id="create">
<fieldset>
  <legend>Create API key</legend>
  <label>Venue
    <select id="venue">
      <option value="binance_futures">Binance USD-M Futures</option>
      <option value="kraken">Kraken</option>
      <option value="bitfinex">Bitfinex</option>
    </select></label>
  <label>Label <input type="text" id="label" maxlength="100" placeholder="my bot"></label>
  <label><input type="checkbox" id="p-read" checked> Enable Reading</label>
  <label><input type="checkbox" id="p-trade" checked> Enable Trading</label>
  <label><input type="checkbox" id="p-futures" checked> Enable Futures</label>
  <label><input type="checkbox" id="p-withdraw"> Enable Withdrawals</label>
  <label>IP whitelist (comma separated; empty: unrestricted) <input type="text" id="ips" placeholder="127.0.0.1"></label>
  <label>Starting balances (ASSET=amount, comma separated) <input type="text" id="balances"></label>
  <button type="submit">Create API key</button> <span id="create-error" class="err"></span>
</fieldset>
</form>

<div id="created" class="secret" hidden>
  <p><strong>Save the secret now: it is shown only once.</strong></p>
  <p>API key: <code id="new-key"></code> <button type="button" data-copy="new-key">Copy</button></p>
  <p>Secret: <code id="new-secret"></code> <button type="button" data-copy="new-secret">Copy</button></p>
</div>

<h2>Existing keys</h2>
<table>
  <thead><tr><th>Venue</th><th>Label</th><th>Key</th><th>Permissions</th><th>IP whitelist</th><th>Balances</th><th></th></tr></thead>
  <tbody id="keys"></tbody>
</table>
<p id="list-error" class="err"></p>

<script>
"use strict";
const defaultBalances = { binance_futures: "USDT=10000", kraken: "USD=10000, BTC=1", bitfinex: "USD=10000, BTC=1" };
const $ = (id) => document.getElementById(id);

function setDefaults() {
  $("balances").value = defaultBalances[$("venue").value] || "";
  $("p-futures").closest("label").hidden = $("venue").value !== "binance_futures";
}

async function api(method, path, body) {
  const r = await fetch(path, { method, headers: body ? { "Content-Type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(data.error || ("HTTP " + r.status));
  return data;
}

function parseBalances(text) {
  const out = {};
  for (const part of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [asset, amount] = part.split("=").map((s) => (s || "").trim());
    if (!asset || !amount) throw new Error("balances: write ASSET=amount, e.g. USDT=1000");
    out[asset.toUpperCase()] = amount;
  }
  return out;
}

function cell(row, text) { const td = document.createElement("td"); td.textContent = text; row.appendChild(td); return td; }

async function refresh() {
  $("list-error").textContent = "";
  try {
    const { keys } = await api("GET", "/exsim/v1/keys");
    const body = $("keys");
    body.replaceChildren();
    for (const k of keys) {
      const row = document.createElement("tr");
      cell(row, k.venue);
      cell(row, k.label);
      cell(row, k.key.slice(0, 6) + "…" + k.key.slice(-4));
      cell(row, Object.entries(k.permissions).filter(([, v]) => v).map(([n]) => n).join(", "));
      cell(row, k.ip_whitelist.length ? k.ip_whitelist.join(", ") : "unrestricted");
      cell(row, Object.entries(k.balances).map(([a, v]) => a + " " + v).join(", "));
      const del = document.createElement("button");
      del.textContent = "Delete";
      del.onclick = async () => {
        if (!confirm("Delete this key and its account?")) return;
        try { await api("DELETE", "/exsim/v1/keys/" + encodeURIComponent(k.key)); } catch (e) { $("list-error").textContent = e.message; }
        refresh();
      };
      cell(row, "").appendChild(del);
      body.appendChild(row);
    }
  } catch (e) { $("list-error").textContent = e.message; }
}

$("create").onsubmit = async (ev) => {
  ev.preventDefault();
  $("create-error").textContent = "";
  try {
    const venue = $("venue").value;
    const spec = {
      venue, label: $("label").value,
      permissions: { read: $("p-read").checked, trade: $("p-trade").checked,
                     futures: venue === "binance_futures" && $("p-futures").checked, withdraw: $("p-withdraw").checked },
      ip_whitelist: $("ips").value.split(",").map((s) => s.trim()).filter(Boolean),
      balances: parseBalances($("balances").value),
    };
    const k = await api("POST", "/exsim/v1/keys", spec);
    $("new-key").textContent = k.key;
    $("new-secret").textContent = k.secret;
    $("created").hidden = false;
    refresh();
  } catch (e) { $("create-error").textContent = e.message; }
};

document.addEventListener("click", (ev) => {
  const id = ev.target.dataset && ev.target.dataset.copy;
  if (!id) return;
  const text = $(id).textContent;
  const done = () => { ev.target.textContent = "Copied"; setTimeout(() => { ev.target.textContent = "Copy"; }, 1500); };
  if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, () => {});
  else { const r = document.createRange(); r.selectNodeContents($(id)); getSelection().removeAllRanges(); getSelection().addRange(r); }
});

$("venue").onchange = setDefaults;
setDefaults();
refresh();
</script>
</body>
</html>
)PAGE";
  return kPage;
}

}  // namespace tb::exsim

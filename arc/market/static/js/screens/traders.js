// Choose which trader (stall) to record vouchers for, when the login has more than one.

import { describeFailure, get } from "../api.js";
import { emit } from "../events.js";
import { getTrader, getTraders, setTrader, setTraders } from "../session.js";
import { h, messageBox } from "../ui.js";

export const title = "Choose a trader";

function choose(trader, navigate, redirect) {
  setTrader(trader);
  emit("trader", { trader });
  navigate(redirect || "/", { replace: true });
}

function showChoice(main, traders, { navigate, redirect }) {
  const current = getTrader();
  const options = traders.map((trader, index) => h(
    "div",
    { class: "radio" },
    h("input", {
      type: "radio",
      name: "trader",
      id: `radio-${index}`,
      value: String(trader.id),
      checked: current ? current.id === trader.id : index === 0,
    }),
    h(
      "label",
      { for: `radio-${index}` },
      h("span", { class: "radio-name" }, trader.name),
      trader.market ? h("span", { class: "radio-detail" }, trader.market.name) : null,
    ),
  ));
  const form = h(
    "form",
    {},
    h("fieldset", {}, h("legend", {}, "Which stall are you recording vouchers for?"), options),
    h("button", { type: "submit", class: "button button-primary", id: "continue" }, "Continue"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const picked = form.querySelector("input[name=trader]:checked");
    const trader = picked && traders.find((item) => String(item.id) === picked.value);
    if (trader) {
      choose(trader, navigate, redirect);
    }
  });
  main.append(form);
}

export function show(main, context) {
  const redirect = context.query.get("redirect");
  const messages = messageBox("traders-message");
  const loading = h("p", {}, "Loading your traders…");
  main.append(h("h1", {}, "Choose a trader"), messages.element, loading);

  let active = true;
  (async () => {
    let traders;
    try {
      const reply = await get("/traders");
      traders = Array.isArray(reply.body) ? reply.body : [];
      setTraders(traders);
    } catch (error) {
      // Without a signal, the list from the last visit still lets the trader switch.
      traders = getTraders();
      if (!traders.length) {
        if (active) {
          loading.remove();
          messages.show("error", describeFailure(error));
        }
        return;
      }
    }
    if (!active) {
      return;
    }
    loading.remove();
    if (traders.length === 0) {
      messages.show("warning", "Your login is not linked to any trader who can take vouchers at the moment. Please contact the Alexandra Rose Charity.");
      return;
    }
    if (traders.length === 1) {
      choose(traders[0], context.navigate, redirect);
      return;
    }
    showChoice(main, traders, { ...context, redirect });
  })();

  return () => {
    active = false;
  };
}

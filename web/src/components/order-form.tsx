import { useState } from "preact/hooks";
import { newIdempotencyKey } from "../api/client";
import type { Opportunity, Order } from "../api/types";
import { useConsole } from "../context";
import { hrefOf } from "../router";
import { SubmitButton } from "./cells";
import {
  defined,
  ErrorSummary,
  NumberField,
  numberOrText,
  SelectField,
  useFormErrors,
} from "./form";
import { Notice } from "./status";

const FIELDS = ["quantityMw", "availabilityPrice", "utilisationPrice", "serviceType"];
const LABELS = {
  quantityMw: "Quantity",
  availabilityPrice: "Availability price",
  utilisationPrice: "Utilisation price",
  serviceType: "Service type",
};

/** Refusals the API reports without a path, pinned to the field they are about. */
export const ORDER_CODE_FIELDS: Readonly<Record<string, string>> = {
  QUANTITY_EXCEEDS_CAPACITY: "quantityMw",
};

/**
 * A bid (buyer) or offer (seller) on one opportunity (api.md `POST /orders`): market, entry and
 * side come from the opportunity; the trader sets quantity, prices and, on an offer, the
 * service type (D-11).
 */
export function OrderForm(props: { opportunity: Opportunity; onSubmitted: () => void }) {
  const { api } = useConsole();
  const { opportunity } = props;
  const offer = opportunity.side === "sell";
  const [values, setValues] = useState({
    quantityMw: "",
    availabilityPrice: "",
    utilisationPrice: "",
    serviceType: "generation-turn-down",
  });
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState<Order>();
  const form = useFormErrors(FIELDS);
  const set = (name: keyof typeof values) => (value: string) => {
    setValues((previous) => ({ ...previous, [name]: value }));
    setIdempotencyKey(newIdempotencyKey());
  };

  async function submit(event: Event) {
    event.preventDefault();
    form.clear();
    setSubmitted(undefined);
    setBusy(true);
    try {
      const body = defined({
        marketId: opportunity.marketId,
        entryId: opportunity.entryId,
        side: opportunity.side,
        quantityMw: numberOrText(values.quantityMw),
        availabilityPrice: numberOrText(values.availabilityPrice),
        utilisationPrice: numberOrText(values.utilisationPrice),
        serviceType: offer ? values.serviceType : undefined,
      });
      const order = await api.request<Order>("POST", "/orders", { body, idempotencyKey });
      setSubmitted(order);
      setIdempotencyKey(newIdempotencyKey());
      props.onSubmitted();
    } catch (error) {
      form.refuse(error, ORDER_CODE_FIELDS);
    } finally {
      setBusy(false);
    }
  }

  const common = (name: keyof typeof values) => ({
    form: "order",
    name,
    label: LABELS[name],
    errors: form.errors,
    required: true,
    value: values[name],
  });
  return (
    <form onSubmit={submit} noValidate data-form="order" class="grid-form">
      <ErrorSummary
        form="order"
        errors={form.errors}
        labels={LABELS}
        summaryRef={form.summaryRef}
      />
      {submitted ? (
        <Notice>
          {offer ? "Offer" : "Bid"} <code data-value="orderId">{submitted.orderId}</code> submitted
          ({submitted.status}).{" "}
          <a href={hrefOf("/orders", { marketId: submitted.marketId })}>See your orders</a>
        </Notice>
      ) : null}
      <NumberField
        {...common("quantityMw")}
        onInput={set("quantityMw")}
        unit="MW"
        hint={`Up to ${opportunity.maxQuantityMw} MW, at most 3 decimals`}
      />
      <NumberField
        {...common("availabilityPrice")}
        onInput={set("availabilityPrice")}
        unit="£/MW/h"
        hint="At most 2 decimals"
      />
      <NumberField
        {...common("utilisationPrice")}
        onInput={set("utilisationPrice")}
        unit="£/MWh"
        hint="At most 2 decimals"
      />
      {offer ? (
        <SelectField
          {...common("serviceType")}
          onChange={set("serviceType")}
          options={[
            { value: "generation-turn-down", label: "Generation turn-down" },
            { value: "demand-turn-up", label: "Demand turn-up" },
          ]}
        />
      ) : null}
      <div class="actions">
        <SubmitButton busy={busy} busyLabel="Submitting…">
          {offer ? "Submit offer" : "Submit bid"}
        </SubmitButton>
      </div>
    </form>
  );
}

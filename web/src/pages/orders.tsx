import { useMemo, useState } from "preact/hooks";
import { newIdempotencyKey, query } from "../api/client";
import type { Order } from "../api/types";
import { Badge, SubmitButton } from "../components/cells";
import { columnsFor, LoadedTable } from "../components/data-table";
import {
  defined,
  ErrorSummary,
  NumberField,
  numberOrText,
  useFormErrors,
} from "../components/form";
import { ORDER_CODE_FIELDS } from "../components/order-form";
import { messageOf, Notice, useLoad } from "../components/status";
import { useConsole } from "../context";
import { hrefOf } from "../router";
import { formatInstant } from "../time";
import { sideLabel } from "./opportunities";

const helper = columnsFor<Order>();

/**
 * The caller's own orders (api.md `GET /orders`), of one market or all; open ones can be
 * amended (quantity, prices) or withdrawn until gate closure (R-ORDER-3).
 */
export function OrdersPage() {
  const { api, params, path } = useConsole();
  const marketId = params.marketId;
  const orders = useLoad(
    (signal) => api.all<Order>(`/orders${query({ marketId })}`, signal),
    [api, marketId],
  );
  const editing = params.amend;
  const [message, setMessage] = useState<string>();
  const [failure, setFailure] = useState<string>();

  async function withdraw(order: Order) {
    setMessage(undefined);
    setFailure(undefined);
    if (!window.confirm(`Withdraw order ${order.orderId}?`)) return;
    try {
      const withdrawn = await api.request<Order>(
        "DELETE",
        `/orders/${encodeURIComponent(order.orderId)}`,
        {
          idempotencyKey: newIdempotencyKey(),
        },
      );
      setMessage(`Order ${withdrawn.orderId} is ${withdrawn.status}.`);
      orders.reload();
    } catch (error) {
      setFailure(messageOf(error));
    }
  }

  const columns = useMemo(
    () => [
      helper.accessor("orderId", { header: "Order", cell: (c) => <code>{c.getValue()}</code> }),
      helper.accessor("marketId", { header: "Market", cell: (c) => <code>{c.getValue()}</code> }),
      helper.accessor("entryId", { header: "MOL entry" }),
      helper.accessor("side", { header: "Side", cell: (c) => sideLabel(c.getValue()) }),
      helper.accessor("quantityMw", { header: "Quantity MW" }),
      helper.accessor("availabilityPrice", { header: "Availability £/MW/h" }),
      helper.accessor("utilisationPrice", { header: "Utilisation £/MWh" }),
      helper.accessor((order) => order.serviceType ?? "—", {
        id: "serviceType",
        header: "Service",
      }),
      helper.accessor("status", {
        header: "Status",
        cell: (c) => <Badge value={c.getValue()} />,
      }),
      helper.accessor((order) => order.filledMw ?? "—", { id: "filledMw", header: "Filled MW" }),
      helper.accessor("submittedAt", {
        header: "Submitted",
        cell: (c) => formatInstant(c.getValue()),
      }),
      helper.display({
        id: "actions",
        header: "Actions",
        cell: (c) =>
          c.row.original.status === "open" ? (
            <span class="row-actions">
              <a
                class="button-link"
                href={hrefOf(path, { marketId, amend: c.row.original.orderId })}
                aria-label={`Amend order ${c.row.original.orderId}`}
              >
                Amend
              </a>
              <button
                type="button"
                class="danger"
                onClick={() => withdraw(c.row.original)}
                aria-label={`Withdraw order ${c.row.original.orderId}`}
              >
                Withdraw
              </button>
            </span>
          ) : null,
      }),
    ],
    [path, marketId, api],
  );
  const amending = orders.data?.find(
    (order) => order.orderId === editing && order.status === "open",
  );

  return (
    <>
      {marketId ? (
        <p>
          Orders in market <code>{marketId}</code>. <a href={hrefOf(path)}>Show all your orders</a>
        </p>
      ) : null}
      {message ? <Notice>{message}</Notice> : null}
      {failure ? (
        <div class="notice error" role="alert">
          {failure}
        </div>
      ) : null}
      <LoadedTable
        load={orders}
        what="orders"
        name="orders"
        caption={marketId ? "Your orders in this market" : "Your orders"}
        columns={columns}
        rowId={(order) => order.orderId}
        selectedId={editing}
        initialSorting={[{ id: "submittedAt", desc: true }]}
        empty="No orders yet. Place one from a trading opportunity."
      />
      {amending ? (
        <AmendForm
          key={amending.orderId}
          order={amending}
          onDone={(amended) => {
            setMessage(`Order ${amended.orderId} amended.`);
            window.location.hash = hrefOf(path, { marketId });
            orders.reload();
          }}
        />
      ) : null}
    </>
  );
}

const AMEND_FIELDS = ["quantityMw", "availabilityPrice", "utilisationPrice"];
const AMEND_LABELS = {
  quantityMw: "Quantity",
  availabilityPrice: "Availability price",
  utilisationPrice: "Utilisation price",
};

function AmendForm(props: { order: Order; onDone: (order: Order) => void }) {
  const { api } = useConsole();
  const { order } = props;
  const [values, setValues] = useState({
    quantityMw: String(order.quantityMw),
    availabilityPrice: String(order.availabilityPrice),
    utilisationPrice: String(order.utilisationPrice),
  });
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(AMEND_FIELDS);
  const set = (name: keyof typeof values) => (value: string) =>
    setValues((previous) => ({ ...previous, [name]: value }));

  async function submit(event: Event) {
    event.preventDefault();
    form.clear();
    // Only what changed is sent (PATCH takes any of the three).
    const changes = defined({
      quantityMw:
        values.quantityMw === String(order.quantityMw)
          ? undefined
          : numberOrText(values.quantityMw),
      availabilityPrice:
        values.availabilityPrice === String(order.availabilityPrice)
          ? undefined
          : numberOrText(values.availabilityPrice),
      utilisationPrice:
        values.utilisationPrice === String(order.utilisationPrice)
          ? undefined
          : numberOrText(values.utilisationPrice),
    });
    setBusy(true);
    try {
      const amended = await api.request<Order>(
        "PATCH",
        `/orders/${encodeURIComponent(order.orderId)}`,
        {
          body: changes,
          idempotencyKey: newIdempotencyKey(),
        },
      );
      props.onDone(amended);
    } catch (error) {
      form.refuse(error, ORDER_CODE_FIELDS);
    } finally {
      setBusy(false);
    }
  }
  const common = (name: keyof typeof values) => ({
    form: "amend",
    name,
    label: AMEND_LABELS[name],
    errors: form.errors,
    required: true,
    value: values[name],
  });
  return (
    <section class="details" aria-labelledby="amend-heading">
      <h2 id="amend-heading">Amend order {order.orderId}</h2>
      <form onSubmit={submit} noValidate data-form="amend" class="grid-form">
        <ErrorSummary
          form="amend"
          errors={form.errors}
          labels={AMEND_LABELS}
          summaryRef={form.summaryRef}
        />
        <NumberField {...common("quantityMw")} onInput={set("quantityMw")} unit="MW" />
        <NumberField
          {...common("availabilityPrice")}
          onInput={set("availabilityPrice")}
          unit="£/MW/h"
        />
        <NumberField
          {...common("utilisationPrice")}
          onInput={set("utilisationPrice")}
          unit="£/MWh"
        />
        <div class="actions">
          <SubmitButton busy={busy} busyLabel="Saving…">
            {"Save changes"}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}

import { useState } from "preact/hooks";
import { newIdempotencyKey } from "../api/client";
import type { Asset } from "../api/types";
import { Badge, SubmitButton } from "../components/cells";
import { columnsFor, LoadedTable } from "../components/data-table";
import {
  defined,
  ErrorSummary,
  NumberField,
  numberOrText,
  SelectField,
  TextField,
  useFormErrors,
} from "../components/form";
import { Notice, useLoad } from "../components/status";
import { useConsole } from "../context";
import { formatInstant } from "../time";
import { BulkAssetUpload } from "./bulk-assets";

const FIELDS = [
  "name",
  "assetType",
  "technology",
  "exportCapacityMw",
  "importCapacityMw",
  "connectionVoltageKv",
  "exportMpan",
  "importMpan",
  "postcode",
  "anmSchemeId",
  "molEntryIds",
] as const;
type AssetField = (typeof FIELDS)[number];

const LABELS: Record<AssetField, string> = {
  name: "Asset name",
  assetType: "Asset type",
  technology: "Technology",
  exportCapacityMw: "Export capacity",
  importCapacityMw: "Import capacity",
  connectionVoltageKv: "Connection voltage",
  exportMpan: "Export MPAN",
  importMpan: "Import MPAN",
  postcode: "Postcode",
  anmSchemeId: "ANM scheme id",
  molEntryIds: "MOL entry ids",
};

const OPTIONAL: readonly AssetField[] = ["importCapacityMw", "exportMpan", "importMpan"];

const helper = columnsFor<Asset>();
const COLUMNS = [
  helper.accessor("name", { header: "Asset" }),
  helper.accessor("assetId", { header: "Asset id", cell: (c) => <code>{c.getValue()}</code> }),
  helper.accessor("anmSchemeId", { header: "ANM scheme" }),
  helper.accessor((asset) => asset.molEntryIds.join(", "), {
    id: "molEntryIds",
    header: "MOL entries",
  }),
  helper.accessor("technology", { header: "Technology" }),
  helper.accessor("exportCapacityMw", { header: "Export MW" }),
  helper.accessor("status", {
    header: "Status",
    cell: (c) => <Badge value={c.getValue()} />,
  }),
  helper.accessor("createdAt", { header: "Registered", cell: (c) => formatInstant(c.getValue()) }),
];

/** A participant's assets (api.md "Assets"): register one, see each one's status. */
export function AssetsPage() {
  const { api } = useConsole();
  const assets = useLoad((signal) => api.all<Asset>("/assets", signal), [api]);
  const [created, setCreated] = useState<Asset>();
  return (
    <>
      <p>
        Register each asset with the MOL entries it claims in its ANM scheme. An asset trades once
        the operator has qualified it.
      </p>
      {created ? (
        <Notice>
          Asset {created.name} registered as <code>{created.assetId}</code>, status {created.status}
          .
        </Notice>
      ) : null}
      <LoadedTable
        load={assets}
        what="assets"
        name="assets"
        caption="Your assets"
        columns={COLUMNS}
        rowId={(asset) => asset.assetId}
        empty="No assets registered yet."
      />
      <AssetForm
        onCreated={(asset) => {
          setCreated(asset);
          assets.reload();
        }}
      />
      <BulkAssetUpload onUploaded={() => assets.reload()} />
    </>
  );
}

function AssetForm(props: { onCreated: (asset: Asset) => void }) {
  const { api } = useConsole();
  const blank = () =>
    ({
      ...Object.fromEntries(FIELDS.map((name) => [name, ""])),
      assetType: "discrete",
    }) as Record<AssetField, string>;
  const [values, setValues] = useState<Record<AssetField, string>>(blank);
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(FIELDS);
  const set = (name: AssetField) => (value: string) => {
    setValues((previous) => ({ ...previous, [name]: value }));
    setIdempotencyKey(newIdempotencyKey());
  };
  const text = (value: string) => (value.trim() === "" ? undefined : value.trim());

  async function submit(event: Event) {
    event.preventDefault();
    form.clear();
    setBusy(true);
    try {
      const body = defined({
        name: values.name.trim(),
        assetType: values.assetType,
        technology: values.technology.trim(),
        exportCapacityMw: numberOrText(values.exportCapacityMw),
        importCapacityMw: numberOrText(values.importCapacityMw),
        connectionVoltageKv: numberOrText(values.connectionVoltageKv),
        exportMpan: text(values.exportMpan),
        importMpan: text(values.importMpan),
        postcode: values.postcode.trim(),
        anmSchemeId: values.anmSchemeId.trim(),
        molEntryIds: values.molEntryIds
          .split(/[\s,]+/)
          .map((id) => id.trim())
          .filter(Boolean),
      });
      const asset = await api.request<Asset>("POST", "/assets", { body, idempotencyKey });
      setValues(blank());
      setIdempotencyKey(newIdempotencyKey());
      props.onCreated(asset);
    } catch (error) {
      form.refuse(error, { ENTRY_ALREADY_CLAIMED: "molEntryIds" });
    } finally {
      setBusy(false);
    }
  }

  const common = (name: AssetField) => ({
    form: "asset",
    name,
    label: LABELS[name],
    errors: form.errors,
    required: !OPTIONAL.includes(name),
    value: values[name],
  });
  return (
    <section aria-labelledby="asset-form-heading">
      <h2 id="asset-form-heading">Register an asset</h2>
      <form onSubmit={submit} noValidate data-form="asset" class="grid-form">
        <ErrorSummary
          form="asset"
          errors={form.errors}
          labels={LABELS}
          summaryRef={form.summaryRef}
        />
        <TextField {...common("name")} onInput={set("name")} spellcheck />
        <SelectField
          {...common("assetType")}
          onChange={set("assetType")}
          options={[
            { value: "discrete", label: "Discrete (one site)" },
            { value: "group", label: "Group (aggregated sites)" },
          ]}
        />
        <TextField
          {...common("technology")}
          onInput={set("technology")}
          hint="For example wind, solar, battery"
        />
        <NumberField {...common("exportCapacityMw")} onInput={set("exportCapacityMw")} unit="MW" />
        <NumberField {...common("importCapacityMw")} onInput={set("importCapacityMw")} unit="MW" />
        <NumberField
          {...common("connectionVoltageKv")}
          onInput={set("connectionVoltageKv")}
          unit="kV"
        />
        <TextField
          {...common("exportMpan")}
          onInput={set("exportMpan")}
          inputMode="numeric"
          hint="13-digit MPAN core"
        />
        <TextField
          {...common("importMpan")}
          onInput={set("importMpan")}
          inputMode="numeric"
          hint="13-digit MPAN core"
        />
        <TextField {...common("postcode")} onInput={set("postcode")} autoComplete="postal-code" />
        <TextField
          {...common("anmSchemeId")}
          onInput={set("anmSchemeId")}
          hint="As the DNO names the scheme, e.g. ENWL-ANM-01"
        />
        <TextField
          {...common("molEntryIds")}
          onInput={set("molEntryIds")}
          hint="The MOL entries this asset claims, separated by commas, e.g. G4-A, G4-B"
        />
        <div class="actions">
          <SubmitButton busy={busy} busyLabel="Registering…">
            {"Register asset"}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}

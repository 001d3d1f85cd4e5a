import { addDays } from "../functions/core/model/calendar";
import { readMeterCsv } from "../functions/core/performance/meter-readings";
import { deps } from "../functions/runtime/deps";
import { ApiClient, onboard } from "../lib/client/api-client";
import { startLocalStack } from "../lib/local/local-stack";
import { REPO_ROOT } from "../lib/repo-root";

/**
 * The `settlement` section, upload part: a month of half-hourly export readings for `entries`
 * entries of one scheme (entries × days × 48 readings) as one CSV file, put through the
 * pre-signed upload of the local stack (`POST /meter-uploads`, the PUT, `POST /meter-readings
 * { uploadId }`: the streaming reader, the ownership check and the store) against parsing the
 * same file alone with the same streaming reader. The ratio is the figure that counts (the same
 * process, the same machine).
 */
export interface SettlementScale {
  entries: number;
  days: number;
  /** Entries per file: each upload stays under the 100 MiB a pre-signed upload takes (D-223). */
  entriesPerFile: number;
}

export interface SettlementUploadResult {
  entries: number;
  days: number;
  readings: number;
  files: number;
  fileBytes: number;
  /** Readings per second through the pre-signed upload, end to end. */
  uploadReadingsPerSecond: number;
  /** Readings per second of the streaming reader alone on the same bytes. */
  parseReadingsPerSecond: number;
  /** parse ÷ upload: how much the platform adds to reading the file. */
  ratio: number;
}

const SCHEME = "BENCH-SETTLE";
const FIRST_DAY = "2027-06-01";

/** The month's CSV of entries [from, to), entry by entry and day by day. */
function monthCsv(scale: SettlementScale, from: number, to: number): string {
  const lines = ["anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value"];
  for (let e = from; e < to; e += 1)
    for (let d = 0; d < scale.days; d += 1) {
      const date = addDays(FIRST_DAY, d);
      for (let sp = 1; sp <= 48; sp += 1)
        lines.push(`${SCHEME},E${e},${date},${sp},export,kWh,${(e + sp) % 1000}.5`);
    }
  return `${lines.join("\r\n")}\r\n`;
}

async function* chunks(bytes: Buffer, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

export async function benchSettlementUpload(
  scale: SettlementScale,
  log: (message: string) => void,
): Promise<SettlementUploadResult> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
  const files: Buffer[] = [];
  for (let from = 0; from < scale.entries; from += scale.entriesPerFile)
    files.push(
      Buffer.from(
        monthCsv(scale, from, Math.min(scale.entries, from + scale.entriesPerFile)),
        "utf8",
      ),
    );
  const readings = scale.entries * scale.days * 48;
  const fileBytes = files.reduce((n, f) => n + f.length, 0);
  log(
    `settlement: ${readings} readings in ${files.length} files, ${(fileBytes / 1e6).toFixed(1)} MB`,
  );

  let t = performance.now();
  let parsedReadings = 0;
  for (const file of files) parsedReadings += (await readMeterCsv(chunks(file))).readingCount;
  const parseMs = performance.now() - t;
  if (parsedReadings !== readings) throw new Error("the reader lost readings");

  const stack = await startLocalStack({ root: REPO_ROOT, inMemory: true });
  try {
    const api = new ApiClient(stack.url);
    // One participant, onboarded through the API; more qualified assets of it (written through
    // the store, as the API takes at most a few entries per asset) claim the rest.
    const trader = await onboard(api, stack.keys.operator, {
      name: "Bench",
      anmSchemeId: SCHEME,
      entryIds: ["E0"],
    });
    const key = trader.apiKey;
    // An asset's claims are one transaction (≤ 100 items): 90 entries an asset.
    const at = new Date().toISOString();
    for (let from = 1, n = 1; from < scale.entries; from += 90, n += 1) {
      const asset = await deps.assets.register({
        assetId: `ast-${String(n).padStart(20, "0")}`,
        participantId: trader.participantId,
        registration: {
          name: `Bench portfolio ${n}`,
          assetType: "group",
          technology: "wind",
          exportCapacityMw: 10,
          connectionVoltageKv: 33,
          postcode: "M1 1AA",
          anmSchemeId: SCHEME,
          molEntryIds: Array.from(
            { length: Math.min(90, scale.entries - from) },
            (_, e) => `E${from + e}`,
          ),
        },
        at,
        actor: { role: "participant", principalId: trader.participantId },
      });
      await deps.assets.changeStatus(asset, {
        from: asset.status,
        to: "qualified",
        action: "asset.qualified",
        at,
        actor: { role: "operator", principalId: "operator" },
      });
    }

    t = performance.now();
    let stored = 0;
    for (const [i, file] of files.entries()) {
      const session = await api.expect(201, "POST", "/meter-uploads", {
        key,
        body: { contentType: "text/csv", contentLength: file.length },
      });
      const put = await fetch(session.uploadUrl, {
        method: "PUT",
        headers: session.headers,
        body: file,
      });
      if (put.status !== 200) throw new Error(`the upload PUT answered ${put.status}`);
      const answer = await api.expect(201, "POST", "/meter-readings", {
        key,
        body: { uploadId: session.uploadId },
      });
      stored += answer.readingCount;
      log(`settlement: file ${i + 1}/${files.length} stored`);
    }
    const uploadMs = performance.now() - t;
    if (stored !== readings) throw new Error("the upload lost readings");
    const uploadRate = (readings / uploadMs) * 1000;
    const parseRate = (readings / parseMs) * 1000;
    return {
      entries: scale.entries,
      days: scale.days,
      readings,
      files: files.length,
      fileBytes,
      uploadReadingsPerSecond: Math.round(uploadRate),
      parseReadingsPerSecond: Math.round(parseRate),
      ratio: Number((parseRate / uploadRate).toFixed(2)),
    };
  } finally {
    await stack.stop();
  }
}

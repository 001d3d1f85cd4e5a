import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditEntry } from "../core/access/audit";
import type { ConstraintMeritOrder, MeritOrderSegment } from "../core/merit-order/reorder";
import type { CycleFence, MeritOrderStore, PublishedMeritOrder } from "../core/ports";
import type { AuditLog } from "./audit-log";
import { getAll } from "./batch-get";
import type { ConditionalWrite } from "./conditional-writes";
import { fenceCheck, whenFenced } from "./cycle-fence";
import { cancellationCodes } from "./dynamo-errors";
import { CYCLE_PARTS, marketKeys } from "./keys";
import { pages, putAll, queryAll, withoutKeys } from "./table-io";

/** MOL lines per stored page: well below the 400 KB item limit with 50 SPs per line. */
const LINES_PER_PAGE = 200;

type SegmentPage = Omit<MeritOrderSegment, "entries"> & {
  entries: MeritOrderSegment["entries"];
  page: number;
  segment: number;
};

function toPages(segments: MeritOrderSegment[]): SegmentPage[] {
  return segments.flatMap((segment, s) =>
    pages(segment.entries, LINES_PER_PAGE).map((entries, page) => ({
      ...segment,
      entries,
      page,
      segment: s,
    })),
  );
}

function fromPages(items: Record<string, unknown>[]): MeritOrderSegment[] {
  const segments: MeritOrderSegment[] = [];
  for (const item of items) {
    const {
      page: _page,
      run: _run,
      segment,
      entries,
      ...rest
    } = withoutKeys<SegmentPage & { run?: string }>(item);
    if (segments[segment]) segments[segment]!.entries.push(...entries);
    else segments[segment] = { ...rest, entries: [...entries] };
  }
  return segments.filter(Boolean);
}

/**
 * Which run wrote a published version: the cycle, and whether it is the fallback, or the
 * topology change that re-published it (R-VERIFY-5).
 */
function runOf(
  mol: Pick<PublishedMeritOrder, "cycleId" | "fallback" | "topologyChangeId">,
): string {
  if (mol.topologyChangeId) return `${mol.cycleId}.tc.${mol.topologyChangeId}`;
  return `${mol.cycleId}.${mol.fallback ? "fallback" : "reordered"}`;
}

/** Re-ordered MOLs: drafts per cycle, and published immutable versions per constraint. */
export class MeritOrderRepository implements MeritOrderStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  async saveDraft(cycleId: string, meritOrders: ConstraintMeritOrder[]): Promise<void> {
    const items = meritOrders.flatMap((c) =>
      toPages(c.segments).map((p) => ({
        ...marketKeys.draftSegmentPage(cycleId, c.constraintId, p.segment, p.page),
        constraintId: c.constraintId,
        ...p,
      })),
    );
    const marker = {
      ...marketKeys.draftMarker(cycleId),
      constraints: meritOrders.map((c) => c.constraintId),
    };
    // The marker says the draft is complete, so it goes only after every page is stored.
    await putAll(this.client, this.tableName, items);
    await putAll(this.client, this.tableName, [marker]);
  }

  async loadDraft(cycleId: string): Promise<ConstraintMeritOrder[] | undefined> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :r)",
      ExpressionAttributeValues: { ":pk": marketKeys.cyclePk(cycleId), ":r": CYCLE_PARTS.draft },
      ConsistentRead: true,
    });
    const marker = items.find((i) => i.sk === CYCLE_PARTS.draft);
    if (!marker) return undefined;
    return (marker.constraints as string[]).map((constraintId) => ({
      constraintId,
      segments: fromPages(
        items
          .filter((i) => i.sk !== CYCLE_PARTS.draft && i.constraintId === constraintId)
          .map(({ constraintId: _c, ...rest }) => rest),
      ),
    }));
  }

  /**
   * `publish` for many constraints with few requests: the LATEST pointers in batch reads, every
   * new version's pages in batch writes, then header + pointer pairs in transactions of 50
   * constraints. A cancelled transaction wrote nothing; its constraints are then published one
   * by one by `publish`, which re-reads the pointers.
   */
  async publishAll(
    fence: CycleFence,
    mols: Omit<PublishedMeritOrder, "version">[],
    audit?: AuditEntry,
  ): Promise<number[]> {
    const check = fenceCheck(this.tableName, fence);
    // The publication's audit record goes with the first transaction that writes a version, so
    // a re-run that finds everything published writes none (D-139).
    let record = audit === undefined ? [] : [this.audit.transactItem(audit)];
    const { versions, todo } = await this.prepare(mols);
    await putAll(
      this.client,
      this.tableName,
      todo.flatMap((t) => t.pages),
    );
    // 49 header + pointer pairs, the fence and the audit record: ≤ 100 items (D-131).
    for (let i = 0; i < todo.length; i += 49) {
      const chunk = todo.slice(i, i + 49);
      const items = [...chunk.flatMap((t) => t.pairs), check, ...record];
      try {
        await whenFenced(fence, chunk.length * 2, () =>
          this.client.send(new TransactWriteCommand({ TransactItems: items })),
        );
        record = [];
      } catch (error) {
        if (!cancellationCodes(error)) throw error;
        for (const t of chunk) {
          versions[t.index] = await this.publish(fence, mols[t.index]!, record);
          record = [];
        }
      }
    }
    return versions;
  }

  /**
   * What publishing `mols` writes, without writing it: the version each constraint gets (the
   * one this run already published, else the next), the pages of the new versions, and their
   * header + LATEST pointer pairs (conditional on the pointer read). Pages go first (a version's
   * pages are invisible until its pointer is written), the pairs in the caller's transaction.
   */
  async prepare(mols: Omit<PublishedMeritOrder, "version">[]): Promise<{
    versions: number[];
    todo: { index: number; pairs: ConditionalWrite[]; pages: Record<string, unknown>[] }[];
  }> {
    const pkOf = (mol: Omit<PublishedMeritOrder, "version">) =>
      marketKeys.meritOrderPk(mol.anmSchemeId, mol.deliveryDate, mol.constraintId);
    const pointers = new Map(
      (
        await getAll(
          this.client,
          this.tableName,
          mols.map((mol) => ({ ...marketKeys.meritOrderLatest(pkOf(mol)) })),
        )
      ).map((item) => [String(item.pk), item]),
    );
    const versions: number[] = [];
    const todo: { index: number; pairs: ConditionalWrite[]; pages: Record<string, unknown>[] }[] =
      [];
    mols.forEach((mol, index) => {
      const pk = pkOf(mol);
      const latest = pointers.get(pk);
      if (latest && latest.cycleId === mol.cycleId && Boolean(latest.fallback) === mol.fallback) {
        versions[index] = Number(latest.version);
        return;
      }
      const version = latest ? Number(latest.version) + 1 : 1;
      versions[index] = version;
      const { pages, pairs } = this.versionWrites(pk, mol, version, latest);
      todo.push({ index, pairs, pages });
    });
    return { versions, todo };
  }

  /**
   * A version that replaces `supersedesVersion` (R-VERIFY-5): its pages (to write first, under
   * the change's own run) and its header and LATEST pointer, the pointer conditional on still
   * naming the replaced version. Deterministic, so a re-run writes the same items.
   */
  replacementWrites(mol: PublishedMeritOrder & { supersedesVersion: number }): {
    pages: Record<string, unknown>[];
    pairs: ConditionalWrite[];
  } {
    const pk = marketKeys.meritOrderPk(mol.anmSchemeId, mol.deliveryDate, mol.constraintId);
    const { version, ...rest } = mol;
    return this.versionWrites(pk, rest, version, { version: mol.supersedesVersion });
  }

  /** A new version's pages, and its header and LATEST pointer (conditional on `latest`). */
  private versionWrites(
    pk: string,
    mol: Omit<PublishedMeritOrder, "version">,
    version: number,
    latest: Record<string, unknown> | undefined,
  ): { pages: Record<string, unknown>[]; pairs: ConditionalWrite[] } {
    const { segments, ...head } = mol;
    // Pages carry the run that wrote them (in their key too): a run that wrote its pages and then
    // failed leaves them under its own run, never inside another run's version of the same number.
    const run = runOf(mol);
    const pages = toPages(segments).map((p) => ({
      pk,
      sk: marketKeys.meritOrderSegmentPage(version, run, p.segment, p.page),
      run,
      ...p,
    }));
    const pairs: ConditionalWrite[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            pk,
            sk: marketKeys.meritOrderVersion(version),
            ...head,
            version,
            run,
            pages: pages.length,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...marketKeys.meritOrderLatest(pk),
            version,
            cycleId: mol.cycleId,
            fallback: mol.fallback,
          },
          ConditionExpression: latest ? "version = :previous" : "attribute_not_exists(pk)",
          ...(latest ? { ExpressionAttributeValues: { ":previous": Number(latest.version) } } : {}),
        },
      },
    ];
    return { pages, pairs };
  }

  /** One constraint's version, fenced; re-reads the pointer when another version won. */
  private async publish(
    fence: CycleFence,
    mol: Omit<PublishedMeritOrder, "version">,
    record: ConditionalWrite[] = [],
  ): Promise<number> {
    const pk = marketKeys.meritOrderPk(mol.anmSchemeId, mol.deliveryDate, mol.constraintId);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const { Item: latest } = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: marketKeys.meritOrderLatest(pk),
          ConsistentRead: true,
        }),
      );
      // Idempotent: this cycle already published this kind of version (normal or fallback).
      if (latest && latest.cycleId === mol.cycleId && Boolean(latest.fallback) === mol.fallback)
        return Number(latest.version);
      const version = latest ? Number(latest.version) + 1 : 1;
      const { pages: pageItems, pairs } = this.versionWrites(pk, mol, version, latest);
      // Pages first (a new version's pages are invisible until LATEST points at it), then the
      // header and the pointer in one conditional transaction: versions are never overwritten.
      await putAll(this.client, this.tableName, pageItems);
      const items = [...pairs, fenceCheck(this.tableName, fence), ...record];
      try {
        await whenFenced(fence, pairs.length, () =>
          this.client.send(new TransactWriteCommand({ TransactItems: items })),
        );
        return version;
      } catch (error) {
        if (!cancellationCodes(error)) throw error;
        // Someone published first: read the pointer again.
      }
    }
    throw new Error(`could not publish a merit order version for ${mol.constraintId}`);
  }

  async latest(
    anmSchemeId: string,
    deliveryDate: string,
    constraintId: string,
  ): Promise<PublishedMeritOrder | undefined> {
    return (await this.latestAll(anmSchemeId, deliveryDate, [constraintId]))[0];
  }

  async latestAll(
    anmSchemeId: string,
    deliveryDate: string,
    constraintIds: ReadonlyArray<string>,
  ): Promise<PublishedMeritOrder[]> {
    const pks = constraintIds.map((c) => marketKeys.meritOrderPk(anmSchemeId, deliveryDate, c));
    const pointers =
      pks.length === 1
        ? [
            (
              await this.client.send(
                new GetCommand({
                  TableName: this.tableName,
                  Key: marketKeys.meritOrderLatest(pks[0]!),
                  ConsistentRead: true,
                }),
              )
            ).Item,
          ].filter((p): p is Record<string, unknown> => p !== undefined)
        : await getAll(
            this.client,
            this.tableName,
            pks.map((pk) => ({ ...marketKeys.meritOrderLatest(pk) })),
          );
    const byPk = new Map(pointers.map((p) => [String(p.pk), p]));
    const out: PublishedMeritOrder[] = [];
    for (const [i, pk] of pks.entries()) {
      const pointer = byPk.get(pk);
      if (!pointer) continue;
      const mol = await this.version(
        anmSchemeId,
        deliveryDate,
        constraintIds[i]!,
        Number(pointer.version),
      );
      if (mol) out.push(mol);
    }
    return out;
  }

  async version(
    anmSchemeId: string,
    deliveryDate: string,
    constraintId: string,
    version: number,
  ): Promise<PublishedMeritOrder | undefined> {
    const pk = marketKeys.meritOrderPk(anmSchemeId, deliveryDate, constraintId);
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :v)",
      ExpressionAttributeValues: { ":pk": pk, ":v": marketKeys.meritOrderVersion(version) },
      ConsistentRead: true,
    });
    const head = items.find((i) => i.sk === marketKeys.meritOrderVersion(version));
    if (!head) return undefined;
    const {
      pages: _pages,
      run,
      ...rest
    } = withoutKeys<PublishedMeritOrder & { pages: number; run?: string }>(head);
    return {
      ...rest,
      segments: fromPages(items.filter((i) => i !== head && i.run === run)),
    };
  }
}

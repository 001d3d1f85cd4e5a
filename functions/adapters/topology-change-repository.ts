import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { StoredTopologyChange, TopologyChangeStore, TopologyChangeWrite } from "../core/ports";
import type { AuditLog } from "./audit-log";
import { type StateWrite, writeChange } from "./change-writer";
import { fenceCheck } from "./cycle-fence";
import { cancellationCodes } from "./dynamo-errors";
import { marketKeys, verificationKeys } from "./keys";
import type { MeritOrderRepository } from "./merit-order-repository";
import { putAll, queryAll, withoutKeys } from "./table-io";

/** How often `receive` reads the counter again when another change took its sequence. */
const RECEIVE_ATTEMPTS = 25;

/**
 * Topology changes of a scheme-day (R-VERIFY-2): each held once under its id, numbered in
 * receive order by a counter in the same partition, and applied with its versions, trade
 * cancellations and events through the change writer (R-VERIFY-6).
 */
export class TopologyChangeRepository implements TopologyChangeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
    private readonly meritOrders: MeritOrderRepository,
  ) {}

  async receive(
    change: Omit<StoredTopologyChange, "sequence" | "state" | "receivedAtMs">,
    now: () => number,
  ): Promise<{ created: boolean; change: StoredTopologyChange }> {
    const { anmSchemeId: scheme, deliveryDate: date, topologyChangeId: id } = change;
    for (let attempt = 0; attempt < RECEIVE_ATTEMPTS; attempt += 1) {
      const held = await this.get(scheme, date, id);
      if (held) return { created: false, change: held };
      const { Item: counter } = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: verificationKeys.counter(scheme, date),
          ConsistentRead: true,
        }),
      );
      const last = counter ? Number(counter.last) : 0;
      const receivedAtMs = Math.max(now(), counter ? Number(counter.lastReceivedAtMs) : 0);
      const stored: StoredTopologyChange = {
        ...change,
        receivedAtMs,
        sequence: last + 1,
        state: "received",
      };
      try {
        // The counter and the change in one transaction: receive order is the sequence order.
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...verificationKeys.counter(scheme, date),
                    last: last + 1,
                    lastReceivedAtMs: receivedAtMs,
                  },
                  ConditionExpression: counter ? "#last = :last" : "attribute_not_exists(pk)",
                  ExpressionAttributeNames: counter ? { "#last": "last" } : undefined,
                  ExpressionAttributeValues: counter ? { ":last": last } : undefined,
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...verificationKeys.change(scheme, date, id), ...stored },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
            ],
          }),
        );
        return { created: true, change: stored };
      } catch (error) {
        if (!cancellationCodes(error)) throw error;
        // Another change took the sequence, or this one was received meanwhile: read again.
      }
    }
    throw new Error(`could not record topology change ${id}: the scheme-day is too busy`);
  }

  async get(
    anmSchemeId: string,
    deliveryDate: string,
    topologyChangeId: string,
  ): Promise<StoredTopologyChange | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: verificationKeys.change(anmSchemeId, deliveryDate, topologyChangeId),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<StoredTopologyChange>(Item) : undefined;
  }

  async ofDay(anmSchemeId: string, deliveryDate: string): Promise<StoredTopologyChange[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :tc)",
      ExpressionAttributeValues: {
        ":pk": verificationKeys.dayPk(anmSchemeId, deliveryDate),
        ":tc": verificationKeys.changePrefix,
      },
      ConsistentRead: true,
    });
    return items
      .map((i) => withoutKeys<StoredTopologyChange>(i))
      .sort((a, b) => a.sequence - b.sequence);
  }

  async apply(input: TopologyChangeWrite): Promise<void> {
    const { change } = input;
    const key = verificationKeys.change(
      change.anmSchemeId,
      change.deliveryDate,
      change.topologyChangeId,
    );
    const versionWrites = input.versions.map((v) => this.meritOrders.replacementWrites(v));
    // A version's pages are invisible until its pointer moves: they go first, under the
    // change's own run, so a re-run overwrites the same page items.
    await putAll(
      this.client,
      this.tableName,
      versionWrites.flatMap((w) => w.pages),
    );
    // Every write is conditional on the state before the change; refused means a run of this
    // same change already wrote it (changes of a day apply one at a time, in receive order).
    const writes: StateWrite[] = [
      ...versionWrites.flatMap((w) => w.pairs.map((write): StateWrite => ({ write }))),
      ...input.cancellations.map(
        (c): StateWrite => ({
          write: {
            Update: {
              TableName: this.tableName,
              Key: marketKeys.trade(c.trade.cycleId, c.trade.marketId, c.trade.sequence),
              UpdateExpression: "SET #status = :status, cancellation = :cancellation",
              ConditionExpression: "#status = :confirmed",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: {
                ":status": c.status,
                ":cancellation": c.cancellation,
                ":confirmed": "confirmed",
              },
            },
          },
        }),
      ),
      ...(input.marketVeto
        ? [
            {
              write: {
                Update: {
                  TableName: this.tableName,
                  Key: marketKeys.market(input.marketVeto.marketId),
                  UpdateExpression: "SET vetoed = :true, vetoedAtMs = :at",
                  ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(vetoed)",
                  ExpressionAttributeValues: { ":true": true, ":at": input.marketVeto.vetoedAtMs },
                },
              },
            } satisfies StateWrite,
          ]
        : []),
    ];
    await writeChange(this.client, this.tableName, {
      changeId: `topology-change.${change.anmSchemeId}.${change.deliveryDate}.${change.topologyChangeId}`,
      checks: [fenceCheck(this.tableName, input.fence)],
      writes,
      events: input.events.map((event) => ({ event })),
      applied: [
        {
          write: {
            Update: {
              TableName: this.tableName,
              Key: key,
              UpdateExpression: "SET #state = :applied, #result = :result REMOVE failure",
              ConditionExpression: "#state <> :applied",
              ExpressionAttributeNames: { "#state": "state", "#result": "result" },
              ExpressionAttributeValues: { ":applied": "applied", ":result": input.result },
            },
          },
          companions: [this.audit.transactItem(input.audit)],
        },
      ],
    });
  }

  async markFailed(
    change: StoredTopologyChange,
    failure: { error: string; atMs: number },
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: verificationKeys.change(
            change.anmSchemeId,
            change.deliveryDate,
            change.topologyChangeId,
          ),
          UpdateExpression: "SET #state = :failed, failure = :failure",
          ConditionExpression: "#state <> :applied",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: {
            ":failed": "failed",
            ":failure": failure,
            ":applied": "applied",
          },
        }),
      );
    } catch (error) {
      // Applied meanwhile (another run finished it): nothing to record.
      if ((error as { name?: string }).name !== "ConditionalCheckFailedException") throw error;
    }
  }
}

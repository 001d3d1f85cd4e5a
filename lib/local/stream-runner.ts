import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type AttributeValue as SdkAttributeValue,
  type _Record as SdkRecord,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";
import type {
  AttributeValue,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
} from "aws-lambda";
import type { Consumer, StreamTrigger } from "../../functions/events/consumers";
import { type LambdaHandler, lambdaContext } from "./lambda-context";

/**
 * The local runner of a stream CONSUMER: it reads DynamoDB Local's stream through the Streams
 * API (DescribeStream → GetShardIterator → GetRecords, as Lambda's event source mapping does),
 * keeps the row's filter, and invokes the handler with the event Lambda gives it
 * (`DynamoDBStreamEvent`: the record fields as the service sends them, creation time in epoch
 * seconds, binary values in base64, `eventSourceARN` the stream). Delivery follows the mapping:
 * batches of at most `batchSize` in shard order, a parent shard before its children; a thrown
 * error retries the batch and `batchItemFailures` retries from the first failed record, up to
 * `retryAttempts` times, after which the records are skipped and logged. The position read is
 * kept in `checkpointFile` (when given) so that a restarted stack resumes after it. Batching
 * windows are the poll interval locally.
 */
export interface StreamRunnerOptions {
  readonly consumer: Consumer & { readonly trigger: StreamTrigger };
  readonly handler: LambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse | undefined>;
  readonly endpoint: string;
  readonly region: string;
  readonly streamArn: string;
  /** Where the last delivered sequence number of each shard is kept; none: in memory only. */
  readonly checkpointFile?: string;
  /** @default 200 */
  readonly pollMs?: number;
  readonly log: (message: string) => void;
}

interface ShardState {
  iterator: string | undefined;
  /** Where the shard is read from while nothing of it has been delivered. */
  from: "TRIM_HORIZON" | "LATEST";
  /** The shard was read to its end (closed, no further records). */
  done: boolean;
}

export class LocalStreamRunner {
  private readonly client: DynamoDBStreamsClient;
  private readonly shards = new Map<string, ShardState>();
  private readonly checkpoints: Record<string, string>;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: StreamRunnerOptions) {
    this.client = new DynamoDBStreamsClient({
      region: options.region,
      endpoint: options.endpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    this.checkpoints = readCheckpoints(options.checkpointFile);
  }

  /**
   * Takes a position in every shard there is now (the row's starting position, or after the
   * checkpoint), then polls in the background: a change made once this has resolved is
   * delivered. Shards that appear later are read from their start, as Lambda reads a child shard.
   */
  async start(): Promise<void> {
    if (this.loop) return;
    for (const shard of await this.readableShards()) {
      const state = this.shards.get(shard.ShardId!)!;
      state.from = this.options.consumer.trigger.startingPosition;
      state.iterator ??= await this.iteratorOf(shard.ShardId!, state.from);
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.client.destroy();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const delivered = await this.pollOnce();
        if (delivered) continue;
      } catch (error) {
        if (this.stopped) return;
        // An expired or trimmed iterator: take the position again (after what was delivered).
        for (const state of this.shards.values()) state.iterator = undefined;
        this.options.log(
          `${this.options.consumer.id}: stream read failed (${error instanceof Error ? error.message : String(error)}); retrying`,
        );
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, this.options.pollMs ?? 200).unref();
      });
    }
  }

  /** One pass over the readable shards; true when some records were read. */
  private async pollOnce(): Promise<boolean> {
    let read = false;
    for (const shard of await this.readableShards()) {
      if (this.stopped) break;
      const state = this.shards.get(shard.ShardId!)!;
      state.iterator ??= await this.iteratorOf(shard.ShardId!, state.from);
      const page = await this.client.send(
        new GetRecordsCommand({
          ShardIterator: state.iterator,
          Limit: this.options.consumer.trigger.batchSize,
        }),
      );
      const records = page.Records ?? [];
      if (records.length > 0) {
        read = true;
        // Interrupted by stop(): the position is not moved, so a restart delivers them again.
        if (!(await this.deliver(records.filter((record) => this.passes(record))))) break;
        this.checkpoint(shard.ShardId!, records.at(-1)!.dynamodb!.SequenceNumber!);
      }
      state.iterator = page.NextShardIterator;
      if (state.iterator === undefined) state.done = true;
    }
    return read;
  }

  /** Shards not read to their end whose parent (if still listed) has been. */
  private async readableShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let ExclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.client.send(
        new DescribeStreamCommand({ StreamArn: this.options.streamArn, ExclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);
    for (const shard of shards)
      if (!this.shards.has(shard.ShardId!))
        this.shards.set(shard.ShardId!, { iterator: undefined, from: "TRIM_HORIZON", done: false });
    const listed = new Set(shards.map((shard) => shard.ShardId!));
    return shards.filter((shard) => {
      const parent = shard.ParentShardId;
      const parentDone =
        parent === undefined || !listed.has(parent) || this.shards.get(parent)?.done === true;
      return parentDone && !this.shards.get(shard.ShardId!)!.done;
    });
  }

  private async iteratorOf(
    shardId: string,
    from: "TRIM_HORIZON" | "LATEST",
  ): Promise<string | undefined> {
    const after = this.checkpoints[shardId];
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.options.streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after }
          : { ShardIteratorType: from }),
      }),
    );
    return ShardIterator;
  }

  /** The row's filter: event names and a partition key prefix. */
  private passes(record: SdkRecord): boolean {
    const filter = this.options.consumer.trigger.filter;
    if (filter?.eventNames && !filter.eventNames.includes(record.eventName as never)) return false;
    if (filter?.partitionKeyPrefix) {
      const pk = record.dynamodb?.Keys?.pk;
      if (pk?.S === undefined || !pk.S.startsWith(filter.partitionKeyPrefix)) return false;
    }
    return true;
  }

  /** Invokes the handler until the batch is through or its retries are spent; false if stopped. */
  private async deliver(records: SdkRecord[]): Promise<boolean> {
    const { consumer } = this.options;
    let pending = records.map((record) => lambdaRecord(record, this.options.streamArn));
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (this.stopped) return false;
      let failedFrom: number;
      try {
        const answer = await this.options.handler(
          { Records: pending },
          lambdaContext(`bitrader-${consumer.id}`, (consumer.timeoutSeconds ?? 60) * 1000),
        );
        const failed = new Set(
          (answer?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier),
        );
        failedFrom = pending.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ""));
      } catch (error) {
        this.options.log(
          `${consumer.id}: handler failed (${error instanceof Error ? error.message : String(error)})`,
        );
        failedFrom = 0;
      }
      if (failedFrom < 0) return true;
      if (attempt >= consumer.trigger.retryAttempts) {
        this.options.log(
          `${consumer.id}: skipped ${pending.length - failedFrom} record(s) after ${attempt + 1} attempt(s)`,
        );
        return true;
      }
      pending = pending.slice(failedFrom);
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)));
    }
    return true;
  }

  private checkpoint(shardId: string, sequenceNumber: string): void {
    this.checkpoints[shardId] = sequenceNumber;
    const file = this.options.checkpointFile;
    if (file === undefined) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(this.checkpoints, null, 2)}\n`);
  }
}

function readCheckpoints(file: string | undefined): Record<string, string> {
  if (file === undefined || !existsSync(file)) return {};
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
}

/** A record of the Streams API as Lambda's event carries it. */
export function lambdaRecord(record: SdkRecord, streamArn: string): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const images = (image: Record<string, SdkAttributeValue> | undefined) =>
    image === undefined
      ? undefined
      : Object.fromEntries(Object.entries(image).map(([name, value]) => [name, attribute(value)]));
  const dynamodb: NonNullable<DynamoDBRecord["dynamodb"]> = {
    ...(stream.ApproximateCreationDateTime
      ? {
          ApproximateCreationDateTime: Math.floor(
            stream.ApproximateCreationDateTime.getTime() / 1000,
          ),
        }
      : {}),
    ...(stream.Keys ? { Keys: images(stream.Keys) } : {}),
    ...(stream.NewImage ? { NewImage: images(stream.NewImage) } : {}),
    ...(stream.OldImage ? { OldImage: images(stream.OldImage) } : {}),
    ...(stream.SequenceNumber ? { SequenceNumber: stream.SequenceNumber } : {}),
    ...(stream.SizeBytes !== undefined ? { SizeBytes: stream.SizeBytes } : {}),
    ...(stream.StreamViewType ? { StreamViewType: stream.StreamViewType } : {}),
  };
  return {
    ...(record.eventID ? { eventID: record.eventID } : {}),
    ...(record.eventName ? { eventName: record.eventName } : {}),
    eventVersion: record.eventVersion ?? "1.1",
    eventSource: record.eventSource ?? "aws:dynamodb",
    ...(record.awsRegion ? { awsRegion: record.awsRegion } : {}),
    dynamodb,
    eventSourceARN: streamArn,
  };
}

/** An attribute value in the JSON form of Lambda's event (binary as base64). */
function attribute(value: SdkAttributeValue): AttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString("base64") };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString("base64")) };
  if (value.L !== undefined) return { L: value.L.map(attribute) };
  if (value.M !== undefined)
    return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, attribute(v)])) };
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  throw new Error("an attribute value of an unknown type");
}

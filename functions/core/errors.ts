/**
 * Errors raised by the market core. Each carries a stable SCREAMING_SNAKE `code` that clients,
 * tests and the HTTP error table key on; the message is safe to show to the caller.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly errors: ReadonlyArray<FieldProblem> = [],
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** One violated field: a dotted/indexed path into the input and the reason. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** R-IN-1: a look-ahead that is well-formed JSON of the right shape but breaks a market rule. */
export class LookAheadInvalidError extends DomainError {
  constructor(errors: ReadonlyArray<FieldProblem>) {
    super("LOOK_AHEAD_INVALID", "The look-ahead breaks R-IN-1.", errors);
    this.name = "LookAheadInvalidError";
  }
}

/** R-REORDER-5: an entry outside every trade would be curtailed differently after re-ordering. */
export class NeutralityViolationError extends DomainError {
  constructor(constraintId: string, entryId: string, sp: number) {
    super(
      "NEUTRALITY_VIOLATED",
      `Re-ordering constraint ${constraintId} changes the curtailment of untraded entry ${entryId} in SP ${sp}.`,
    );
    this.name = "NeutralityViolationError";
  }
}

/** R-GATE-1: a request received at or after gate closure. */
export class GateClosedError extends DomainError {
  constructor() {
    super("GATE_CLOSED", "Gate closure has passed for this market; nothing was changed.");
    this.name = "GateClosedError";
  }
}

/** R-ORDER-1: the entry has no opportunity on that side in that market. */
export class NotEligibleError extends DomainError {
  constructor(entryId: string, side: string) {
    super("NOT_ELIGIBLE", `Entry ${entryId} has no ${side} opportunity in this market.`);
    this.name = "NotEligibleError";
  }
}

/** R-ORDER-2: the entry's open orders would exceed its max quantity in the market. */
export class QuantityExceedsCapacityError extends DomainError {
  constructor(maxMw: number, openMw?: number) {
    super(
      "QUANTITY_EXCEEDS_CAPACITY",
      `The entry's open orders in this market would exceed its max quantity of ${maxMw} MW${openMw === undefined ? "" : ` (${openMw} MW already open)`}.`,
    );
    this.name = "QuantityExceedsCapacityError";
  }
}

/** R-ORDER-1: a price component above the scheme's price cap. */
export class PriceExceedsCapError extends DomainError {
  constructor(field: string, capGbp: number) {
    super("PRICE_EXCEEDS_CAP", `${field} is above the scheme's price cap of £${capGbp}.`, [
      { path: field, message: `must be ≤ ${capGbp} (R-ORDER-1)` },
    ]);
    this.name = "PriceExceedsCapError";
  }
}

/** R-IN-2: the same look-ahead id with a different body. */
export class LookAheadConflictError extends DomainError {
  constructor(lookAheadId: string) {
    super(
      "LOOK_AHEAD_CONFLICT",
      `Look-ahead ${lookAheadId} was already received with a different body.`,
    );
    this.name = "LookAheadConflictError";
  }
}

/** Anything the caller may not see is reported exactly as if it did not exist. */
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super("NOT_FOUND", `${what} was not found.`);
    this.name = "NotFoundError";
  }
}

/** An order or market is not in a state that allows the change. */
export class ConflictError extends DomainError {}

/** A workflow step met a state it cannot continue from (a wiring or data fault). */
export class CycleStateError extends DomainError {
  constructor(message: string) {
    super("CYCLE_STATE", message);
    this.name = "CycleStateError";
  }
}

/**
 * D-131: a workflow step's write was fenced on its cycle being the scheme-day's current one, and
 * it is not (a newer look-ahead superseded it): nothing of the write was stored. The workflow
 * sends this error to its `Superseded` state, where the execution waits to be stopped.
 */
export class CycleSupersededError extends DomainError {
  constructor(cycleId: string) {
    super("CYCLE_SUPERSEDED", `Cycle ${cycleId} is no longer the current cycle of its day.`);
    this.name = "CycleSupersededError";
  }
}

/**
 * A write met contention (another request changing the same items) or throttling and could not
 * be made within its bounded retries; nothing was changed. The caller may retry the request.
 */
export class TemporarilyUnavailableError extends DomainError {
  constructor(readonly reason: "contention" | "throttling") {
    super(
      "TEMPORARILY_UNAVAILABLE",
      reason === "contention"
        ? "Other requests were changing the same data; nothing was changed. Retry shortly."
        : "The service is busy; nothing was changed. Retry shortly.",
    );
    this.name = "TemporarilyUnavailableError";
  }
}

/**
 * Exact rational numbers over bigint (R-UNIT-3: everything derived is exact until R-SETTLE-5/9
 * round it). Always normalised: the denominator is positive and shares no factor with the
 * numerator. A value is made only from integers, so a binary float can never enter money or
 * energy (decision D-60).
 */
export class Rational {
  private constructor(
    /** Numerator (carries the sign). */
    readonly n: bigint,
    /** Denominator, > 0. */
    readonly d: bigint,
  ) {}

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  /** `n / d` from integers (bigint or safe-integer numbers); throws on a fraction or d = 0. */
  static of(n: bigint | number, d: bigint | number = 1n): Rational {
    const num = toBigInt(n);
    const den = toBigInt(d);
    if (den === 0n) throw new RangeError("denominator must not be 0");
    return Rational.normalised(num, den);
  }

  /** The exact value of a decimal string such as `"-12.345"` (no exponent). */
  static parseDecimal(text: string): Rational {
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!m) throw new RangeError(`not a decimal: ${text}`);
    const decimals = m[3] ?? "";
    const n = BigInt(`${m[2]}${decimals}`) * (m[1] ? -1n : 1n);
    return Rational.normalised(n, 10n ** BigInt(decimals.length));
  }

  /** Σ of the values (0 for none). */
  static sum(values: Iterable<Rational>): Rational {
    let total = Rational.ZERO;
    for (const v of values) total = total.add(v);
    return total;
  }

  static min(a: Rational, b: Rational): Rational {
    return a.cmp(b) <= 0 ? a : b;
  }

  static max(a: Rational, b: Rational): Rational {
    return a.cmp(b) >= 0 ? a : b;
  }

  private static normalised(n: bigint, d: bigint): Rational {
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = gcd(n < 0n ? -n : n, d);
    return g === 1n ? new Rational(n, d) : new Rational(n / g, d / g);
  }

  add(o: Rational | bigint | number): Rational {
    const b = lift(o);
    return Rational.normalised(this.n * b.d + b.n * this.d, this.d * b.d);
  }

  sub(o: Rational | bigint | number): Rational {
    const b = lift(o);
    return Rational.normalised(this.n * b.d - b.n * this.d, this.d * b.d);
  }

  mul(o: Rational | bigint | number): Rational {
    const b = lift(o);
    return Rational.normalised(this.n * b.n, this.d * b.d);
  }

  /** Division; throws on division by zero. */
  div(o: Rational | bigint | number): Rational {
    const b = lift(o);
    if (b.n === 0n) throw new RangeError("division by zero");
    return Rational.normalised(this.n * b.d, this.d * b.n);
  }

  neg(): Rational {
    return new Rational(-this.n, this.d);
  }

  /** −1, 0 or 1 as this is less than, equal to or greater than `o`. */
  cmp(o: Rational | bigint | number): -1 | 0 | 1 {
    const b = lift(o);
    const l = this.n * b.d;
    const r = b.n * this.d;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  eq(o: Rational | bigint | number): boolean {
    return this.cmp(o) === 0;
  }

  isZero(): boolean {
    return this.n === 0n;
  }

  /** max(0, this). */
  clampNonNegative(): Rational {
    return this.n < 0n ? Rational.ZERO : this;
  }

  /**
   * Rounded half-up to `decimals` places, as an integer count of 10^-decimals units
   * (R-SETTLE-5/9). Ties go away from zero, so −2.5 → −3 (decision D-61).
   */
  roundHalfUp(decimals = 0): bigint {
    const scale = 10n ** BigInt(decimals);
    const scaled = this.n * scale;
    const negative = scaled < 0n;
    const abs = negative ? -scaled : scaled;
    const q = (2n * abs + this.d) / (2n * this.d);
    return negative ? -q : q;
  }

  /** The half-up rounded value as a fixed-decimal string, e.g. `"0.944444"` (R-SETTLE-8/9). */
  toFixed(decimals: number): string {
    const units = this.roundHalfUp(decimals);
    const negative = units < 0n;
    const digits = (negative ? -units : units).toString().padStart(decimals + 1, "0");
    const whole = digits.slice(0, digits.length - decimals);
    const fraction = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : "";
    return `${negative ? "-" : ""}${whole}${fraction}`;
  }

  /** The half-up rounded value as a JSON number for display only (R-SETTLE-9). */
  shown(decimals: number): number {
    return Number(this.toFixed(decimals));
  }

  /** Exact text `n/d` (or `n`), for records and test messages. */
  toString(): string {
    return this.d === 1n ? this.n.toString() : `${this.n}/${this.d}`;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

function toBigInt(v: bigint | number): bigint {
  if (typeof v === "bigint") return v;
  if (!Number.isSafeInteger(v)) throw new RangeError(`not a safe integer: ${v}`);
  return BigInt(v);
}

function lift(v: Rational | bigint | number): Rational {
  return v instanceof Rational ? v : Rational.of(v);
}

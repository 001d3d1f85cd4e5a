import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from "@aws-sdk/client-kms";
import type { SealedSecret, SecretBox } from "../core/ports";

/**
 * Webhook secrets at rest (R-NOTIFY-2): envelope encryption. Each secret is encrypted with its
 * own 256-bit data key (AES-256-GCM, the owner as additional data, so a sealed secret opens for
 * its owner only); the data key is stored wrapped by the key-encryption key — a KMS key in the
 * cloud (GenerateDataKey / Decrypt with the owner as encryption context), a key file under the
 * local stack's data directory locally. Unwrapped data keys are cached for the life of the
 * execution environment, so a dispatcher does not call KMS per attempt. Secrets are never logged.
 */
export interface KeyWrapper {
  /** A new data key, in clear and wrapped. */
  generate(owner: string): Promise<{ plaintext: Buffer; wrapped: string; keyId: string }>;
  unwrap(wrapped: string, owner: string): Promise<Buffer>;
}

export class EnvelopeSecretBox implements SecretBox {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly wrapper: KeyWrapper) {}

  newSecret(): string {
    return `whsec_${randomBytes(32).toString("base64")}`;
  }

  async seal(secret: string, owner: string): Promise<SealedSecret> {
    const { plaintext, wrapped, keyId } = await this.wrapper.generate(owner);
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", plaintext, iv);
    cipher.setAAD(Buffer.from(owner, "utf8"));
    const data = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    this.keys.set(wrapped, plaintext);
    return {
      v: "1",
      keyId,
      wrapped,
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      data: data.toString("base64"),
    };
  }

  async open(sealed: SealedSecret, owner: string): Promise<string> {
    const { wrapped, iv, tag, data } = sealed;
    if (!wrapped || !iv || !tag || !data) throw new Error("not a sealed secret");
    let key = this.keys.get(wrapped);
    if (!key) {
      key = await this.wrapper.unwrap(wrapped, owner);
      if (this.keys.size > 1_000) this.keys.clear();
      this.keys.set(wrapped, key);
    }
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
    decipher.setAAD(Buffer.from(owner, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString(
      "utf8",
    );
  }
}

/** The cloud: data keys from a KMS key (its ARN from the `key` grant), bound to the owner. */
export class KmsKeyWrapper implements KeyWrapper {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyArn: string,
  ) {}

  async generate(owner: string) {
    const out = await this.kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.keyArn,
        KeySpec: "AES_256",
        EncryptionContext: { owner },
      }),
    );
    if (!out.Plaintext || !out.CiphertextBlob) throw new Error("KMS returned no data key");
    return {
      plaintext: Buffer.from(out.Plaintext),
      wrapped: Buffer.from(out.CiphertextBlob).toString("base64"),
      keyId: out.KeyId ?? this.keyArn,
    };
  }

  async unwrap(wrapped: string, owner: string): Promise<Buffer> {
    const out = await this.kms.send(
      new DecryptCommand({
        KeyId: this.keyArn,
        CiphertextBlob: Buffer.from(wrapped, "base64"),
        EncryptionContext: { owner },
      }),
    );
    if (!out.Plaintext) throw new Error("KMS could not decrypt the data key");
    return Buffer.from(out.Plaintext);
  }
}

/**
 * The local stack: the key-encryption key is 32 random bytes in a file (mode 0600) under the
 * data directory, made on first use; data keys are wrapped with it by AES-256-GCM.
 */
export class LocalFileKeyWrapper implements KeyWrapper {
  private master: Buffer | undefined;

  constructor(private readonly file: string) {}

  private key(): Buffer {
    if (this.master) return this.master;
    if (!existsSync(this.file)) {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileSync(this.file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
    }
    chmodSync(this.file, 0o600);
    const key = Buffer.from(readFileSync(this.file, "utf8").trim(), "base64");
    if (key.length !== 32) throw new Error(`${this.file} does not hold a 256-bit key`);
    this.master = key;
    return key;
  }

  async generate(owner: string) {
    const plaintext = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key(), iv);
    cipher.setAAD(Buffer.from(owner, "utf8"));
    const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const wrapped = Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64");
    return { plaintext, wrapped, keyId: `local:${this.file}` };
  }

  async unwrap(wrapped: string, owner: string): Promise<Buffer> {
    const raw = Buffer.from(wrapped, "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.key(), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(owner, "utf8"));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  }
}

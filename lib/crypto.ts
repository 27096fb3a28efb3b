import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

import { env } from "./env";

// Request content, safe-contact details and messages are encrypted at rest with AES-256-GCM. The key comes from
// CONFIDE_DATA_KEY ("1:<key>,2:<key>"): new values use the highest version, and older versions stay readable
// until re-encrypted, so keys can be rotated. The additional authenticated data binds each value to its table,
// column and row: a ciphertext copied into another row or column fails to decrypt instead of showing up there.

export type FieldContext = { table: string; column: string; rowId: string };

const PREFIX = "v";

function aad({ table, column, rowId }: FieldContext): Buffer {
  return Buffer.from(`confide:${table}:${column}:${rowId}`, "utf8");
}

function keys(): Map<number, Buffer> {
  return env().CONFIDE_DATA_KEY;
}

export function encryptField(plaintext: string, context: FieldContext): string {
  const all = keys();
  const version = Math.max(...all.keys());
  const key = all.get(version);
  if (!key) throw new Error("no data key configured");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [`${PREFIX}${version}`, iv.toString("base64url"), body.toString("base64url"), tag.toString("base64url")].join(".");
}

export class DecryptionError extends Error {}

export function decryptField(stored: string, context: FieldContext): string {
  const [versionPart, iv, body, tag] = stored.split(".");
  const version = Number(versionPart?.slice(PREFIX.length));
  const key = keys().get(version);
  if (!versionPart?.startsWith(PREFIX) || !key || !iv || body === undefined || !tag) {
    throw new DecryptionError("stored value is not readable with the configured keys");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(aad(context));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    // Never include the value or the key in the error: it ends up in logs.
    throw new DecryptionError("stored value failed authentication");
  }
}

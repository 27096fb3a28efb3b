import fc from "fast-check";

// Hostile input for the fuzzing properties (e2e/fuzz.spec.ts): the values a form field, a path segment or a query
// parameter can carry when someone crafts the request by hand. Values are bytes, not strings, so that what no
// browser would send (lone surrogates as WTF-8, overlong and truncated UTF-8, NUL) reaches the server as it is.

/** The seed of a property: FUZZ_SEED replays a run, otherwise a fresh one (printed by the spec either way). */
export function fuzzSeed(): number {
  const fromEnv = process.env.FUZZ_SEED;
  if (fromEnv !== undefined && fromEnv !== "") {
    const seed = Number(fromEnv);
    if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, not ${fromEnv}`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

/** FUZZ_RUNS raises the number of runs for a longer hunt; never below the issue's 1,000. */
export function fuzzRuns(): number {
  return Math.max(1000, Number(process.env.FUZZ_RUNS ?? 0) || 0);
}

const utf8 = (text: string) => Buffer.from(text, "utf8");

// Unicode edge cases, as bytes. Lone surrogates cannot be written in UTF-8: a hand-made request sends them as
// WTF-8/CESU-8 (ED A0 80), which a decoder must replace, not crash on.
const UNICODE_EDGES: readonly Buffer[] = [
  Buffer.from([0xed, 0xa0, 0x80]), // lone high surrogate U+D800
  Buffer.from([0xed, 0xbf, 0xbf]), // lone low surrogate U+DFFF
  Buffer.from([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]), // a surrogate pair as CESU-8
  Buffer.from([0xc0, 0xaf]), // overlong "/"
  Buffer.from([0xe2, 0x82]), // truncated sequence
  Buffer.from([0xff, 0xfe, 0xfd]), // never valid
  Buffer.from([0x00]), // NUL
  utf8("\u202Eevil\u202C"), // right-to-left override
  utf8("\u2066\u2067\u2068\u2069"), // isolates
  utf8("a\u200B\u200C\u200D\u2060b"), // zero-width
  utf8("\uFEFF"), // byte order mark
  utf8("e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030A"), // stacked combining marks
  utf8("Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359"),
  utf8("👩‍👩‍👧‍👦🏳️‍⚧️🇬🇧"), // emoji sequences, flags
  utf8("\u00A0\u1680\u2000\u2028\u2029\u3000"), // odd spaces, line and paragraph separators
  utf8("\r\n\r\n--"), // looks like the end of a multipart part
  utf8("ﷺ𒐫꧅"), // very wide glyphs
  utf8("İıſK"), // case-mapping surprises (lower/upper change length or letter)
  utf8("\u0000\u0001\u0007\u001B[31m\u007F"), // control characters, an ANSI escape
];

const MARKUP: readonly string[] = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "</textarea><svg onload=alert(1)>",
  "{{constructor.constructor('alert(1)')()}}",
  "<!--",
  "&lt;b&gt;&amp;",
  "%3Cscript%3E",
];

const SQL: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  "1; DELETE FROM support_requests",
  "%' AND 1=1 --",
  "') UNION SELECT id_token FROM accounts --",
  "\\' OR 1=1 /*",
];

const NUMBERS: readonly string[] = ["0", "-1", "1e309", "NaN", "Infinity", "-0", "3.5", " 2 ", "0x10", "9007199254740993", "1_000", "٣"];

// Values a real form sends, so that some runs get past validation and reach the permission checks and the writes.
const PLAUSIBLE: readonly string[] = [
  "",
  "yes",
  "no",
  "on",
  "true",
  "wellbeing",
  "other",
  "in_app",
  "phone",
  "visible",
  "silent",
  "active",
  "paused",
  "retired",
  "resolved",
  "capacity",
  "pause",
  "resume",
  "large",
  "larger",
  "standard",
  "open",
  "approval",
  "A short, ordinary message.",
  "2026-01-01",
  "3",
];

const SHAPES: readonly string[] = ["[object Object]", "{}", "[]", '{"__proto__":{"admin":true}}', "null", "undefined", "$K1", "$undefined", "$@0", "../../etc/passwd", "/admin", "//evil.example"];

// Oversized: up to ~100 KB of one repeated unit (cheap to make, still the size that must be refused).
const oversized = fc
  .tuple(fc.constantFrom("a", "é", "👍", "<b>", "' OR 1=1;", "\u202E", " "), fc.integer({ min: 1_000, max: 100_000 }))
  .map(([unit, bytes]) => {
    const one = utf8(unit);
    return Buffer.concat(Array.from({ length: Math.ceil(bytes / one.length) }, () => one));
  });

/** Any hostile value, as bytes; `ids` are other people's (and the caller's own) ids and slugs. */
export function hostileValue(ids: readonly string[]): fc.Arbitrary<Buffer> {
  const text = (values: readonly string[]) => fc.constantFrom(...values).map(utf8);
  const atom = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ids).map(utf8) },
    { weight: 3, arbitrary: text(PLAUSIBLE) },
    { weight: 2, arbitrary: fc.constantFrom(...UNICODE_EDGES) },
    { weight: 2, arbitrary: text(MARKUP) },
    { weight: 2, arbitrary: text(SQL) },
    { weight: 2, arbitrary: text(NUMBERS) },
    { weight: 1, arbitrary: text(SHAPES) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }).map(utf8) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }).map(utf8) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
  );
  // Oversized values are rarer than the rest (one in ~20), to keep a thousand runs within the time budget; a form has
  // several fields, so about one request in ten still carries one.
  return fc.oneof(
    { weight: 13, arbitrary: atom },
    // Mixtures: an id with markup after it, a message with a lone surrogate in the middle, …
    { weight: 6, arbitrary: fc.array(atom, { minLength: 2, maxLength: 4 }).map((parts) => Buffer.concat(parts)) },
    { weight: 1, arbitrary: oversized },
  );
}

/** A form part: a text field, or a file where a text is expected (and text where a file is). */
export type Part = { name: string; value: Buffer; file?: { name: string; type: string } };

const FILE_TYPES = ["text/csv", "application/octet-stream", "text/html", "image/svg+xml", ""];

/**
 * A hostile form for an action whose usual fields are `base`: each usual field kept, dropped, repeated or given a
 * hostile value; fields it does not expect (known names of other forms, prototype keys, odd names) added.
 */
export function hostileForm(base: Record<string, string>, knownNames: readonly string[], ids: readonly string[]): fc.Arbitrary<Part[]> {
  const value = hostileValue(ids);
  const asFile = fc.tuple(value, fc.string({ maxLength: 20 }), fc.constantFrom(...FILE_TYPES)).map(([bytes, name, type]) => ({ bytes, name, type }));
  const partFor = (name: string): fc.Arbitrary<Part[]> =>
    fc.oneof(
      { weight: 5, arbitrary: value.map((v) => [{ name, value: v }]) },
      { weight: 2, arbitrary: fc.constant<Part[]>(Object.hasOwn(base, name) ? [{ name, value: utf8(base[name] ?? "") }] : []) },
      { weight: 2, arbitrary: fc.constant<Part[]>([]) },
      { weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }).map((vs) => vs.map((v) => ({ name, value: v }))) },
      { weight: 1, arbitrary: asFile.map((f) => [{ name, value: f.bytes, file: { name: f.name, type: f.type } }]) },
    );
  const usual = Object.keys(base);
  const extraName = fc.oneof(
    fc.constantFrom(...knownNames),
    fc.constantFrom("__proto__", "constructor", "prototype", "0", "$ACTION_ID_x", "id", "userId", "role", "status"),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
  );
  return fc
    .tuple(
      fc.tuple(...usual.map(partFor)),
      fc.array(extraName.chain(partFor), { maxLength: 3 }),
      fc.boolean(),
    )
    .map(([kept, extra, shuffle]) => {
      const parts = [...kept.flat(), ...extra.flat()];
      return shuffle ? parts.reverse() : parts;
    });
}

// Addresses are kept to a few kilobytes (at most ~6 KB percent-encoded, within what browsers and proxies pass on),
// except for the occasional one far beyond any server's limit (Node answers 431 before the app sees it). Between the
// two, a signed-out request's sign-in redirect repeats the address, encoded again, in its Location header, and a
// 10–16 KB address makes that header too large for Node's HTTP client: see the report of issue 9's fuzzing.
const SEGMENT_BYTES = 500;
const QUERY_VALUE_BYTES = 250;

/** A hostile query string: known parameters and odd ones, repeated, with hostile values. */
export function hostileQuery(knownNames: readonly string[], ids: readonly string[]): fc.Arbitrary<string> {
  const name = fc.oneof(fc.constantFrom(...knownNames), fc.constantFrom("__proto__", "_rsc", "", "a[b]", "a%5B%5D"), fc.string({ maxLength: 8 }));
  const pair = fc.tuple(name, hostileValue(ids)).map(([n, v]) => `${encodeURIComponent(n)}=${percentEncode(v.subarray(0, QUERY_VALUE_BYTES))}`);
  return fc.array(pair, { maxLength: 4 }).map((pairs) => (pairs.length ? `?${pairs.join("&")}` : ""));
}

/** Every byte that is not unreserved, as %XX: bytes that are not UTF-8 stay as they are. */
export function percentEncode(bytes: Buffer): string {
  let out = "";
  for (const byte of bytes) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * A path segment: an id of the world, a known name, or hostile text (percent-encoded, "." and ".." too).
 *
 * Raw bytes as they come, so escapes that do not decode ("%", "%zz", "%FF", "%ED%A0%80") are sent too: proxy.ts answers
 * them 400 (Next's own router would answer 500).
 */
export function hostileSegment(values: readonly string[], ids: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 15, arbitrary: fc.constantFrom(...values, ...ids).map((v) => v.split("/").map(encodeURIComponent).join("/")) },
    { weight: 20, arbitrary: hostileValue(ids).map((v) => percentEncode(v.subarray(0, SEGMENT_BYTES)) || "%20") },
    {
      weight: 5,
      arbitrary: fc.constantFrom("..", ".", "%2e%2e", "%2F", "..%2F..%2Fetc%2Fpasswd", "%00", "%EF%BF%BD", "%E2%80%AE", "x.rsc", "index.txt",
        "%", "%zz", "%FF", "%ED%A0%80", "%E0%A4%A"),
    },
    { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 40_000 }).map((n) => "a".repeat(n)) },
  );
}

/** A multipart body with raw bytes, as a hand-made request would send it. */
export function multipartBody(parts: readonly Part[]): { body: Buffer; contentType: string } {
  const boundary = `----fuzz${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  // As browsers write names: quotes and line breaks percent-encoded (the HTML standard's multipart encoding).
  const quote = (text: string) => text.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${quote(part.name)}"${part.file ? `; filename="${quote(part.file.name)}"` : ""}`;
    const type = part.file?.type ? `\r\nContent-Type: ${part.file.type}` : "";
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`, "utf8"), part.value, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

import * as z from "zod";

// The only module that reads process.env. Configuration is parsed once, on first use, so that `next build`
// (which imports server modules without secrets) still works, while the server refuses to start without them
// because instrumentation.ts calls env() at start-up.

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

const DataKeys = z
  .string()
  .regex(/^\d+:[A-Za-z0-9+/=_-]+(,\d+:[A-Za-z0-9+/=_-]+)*$/, "must look like 1:<base64 32-byte key>[,2:<key>...]")
  .transform((value, ctx) => {
    const keys = new Map<number, Buffer>();
    for (const part of value.split(",")) {
      const [version, encoded] = part.split(":") as [string, string];
      const key = Buffer.from(encoded, "base64");
      if (key.length !== 32) ctx.addIssue({ code: "custom", message: `key version ${version} is not 32 bytes` });
      keys.set(Number(version), key);
    }
    return keys;
  });

const Schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    // "demo" and "test" run the production build against the development identity provider.
    CONFIDE_ENV: z.enum(["production", "demo", "test", "development"]).optional(),
    APP_URL: z.url().default("http://localhost:3000"),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
    AUTH_OIDC_ISSUER: z.url(),
    AUTH_OIDC_ID: z.string().min(1),
    AUTH_OIDC_SECRET: z.string().min(1),
    DATABASE_PATH: z.string().min(1).default(".data/confide.db"),
    CONFIDE_DATA_KEY: DataKeys,
    SMTP_URL: z.string().optional(),
    MAIL_OUTBOX_DIR: z.string().optional(),
    MAIL_FROM: z.string().default("Confide <no-reply@confide.invalid>"),
    FORCE_NAME: z.string().min(1).default("Midshire Police"),
    QUICK_EXIT_URL: z.url().default("https://www.bbc.co.uk/weather"),
    RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  })
  .transform((raw) => ({ ...raw, CONFIDE_ENV: raw.CONFIDE_ENV ?? (raw.NODE_ENV === "production" ? "production" : "development") }))
  .superRefine((cfg, ctx) => {
    if (cfg.CONFIDE_ENV !== "production") return;
    const issuer = new URL(cfg.AUTH_OIDC_ISSUER);
    if (LOOPBACK.has(issuer.hostname)) {
      ctx.addIssue({ code: "custom", path: ["AUTH_OIDC_ISSUER"], message: "production cannot use the development identity provider" });
    }
    if (new URL(cfg.APP_URL).protocol !== "https:") {
      ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "production must be served over https" });
    }
    if (!cfg.SMTP_URL) ctx.addIssue({ code: "custom", path: ["SMTP_URL"], message: "production needs an SMTP server" });
  });

export type Env = z.infer<typeof Schema>;

let cached: Env | undefined;

export class ConfigError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = Schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "config"}: ${issue.message}`);
    throw new ConfigError(`Confide cannot start: configuration is invalid.\n${lines.join("\n")}`);
  }
  return result.data;
}

export function env(): Env {
  cached ??= parseEnv(process.env);
  // Auth.js builds its callback URLs from AUTH_URL; keep it in step with APP_URL.
  process.env.AUTH_URL ??= cached.APP_URL;
  return cached;
}

// The database path is needed by scripts that run before the rest of the configuration exists (migrate, grant).
export function databasePath(): string {
  return process.env.DATABASE_PATH || ".data/confide.db";
}

export const isSecureOrigin = () => new URL(env().APP_URL).protocol === "https:";

// Next.js sets NEXT_RUNTIME to "nodejs" or "edge" in server code; undefined in scripts.
export const nextRuntime = (): string | undefined => process.env.NEXT_RUNTIME;

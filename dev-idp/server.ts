import { ID_TOKEN_FAULTS, startDevIdp, type IdTokenFault } from "./index.js";

const env = process.env;
const port = Number(env.DEV_IDP_PORT || 3001);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  throw new Error(`DEV_IDP_PORT is not a valid port: ${env.DEV_IDP_PORT}`);
}

// Unset in every normal run; only tests that prove the app refuses a misbehaving provider set it.
const fault = env.DEV_IDP_ID_TOKEN_FAULT || undefined;
const isFault = (value: string): value is IdTokenFault => (ID_TOKEN_FAULTS as readonly string[]).includes(value);
if (fault !== undefined && !isFault(fault)) {
  throw new Error(`DEV_IDP_ID_TOKEN_FAULT must be one of ${ID_TOKEN_FAULTS.join(", ")}: ${fault}`);
}

startDevIdp({
  port,
  host: env.DEV_IDP_HOST || undefined,
  issuer: env.DEV_IDP_ISSUER || undefined,
  clientId: env.DEV_IDP_CLIENT_ID || undefined,
  clientSecret: env.DEV_IDP_CLIENT_SECRET || undefined,
  appUrl: env.DEV_IDP_APP_URL || undefined,
  accountsFile: env.DEV_IDP_ACCOUNTS_FILE || undefined,
  idTokenFault: fault,
}).then(
  (idp) => {
    console.log(`dev-idp listening on ${idp.url}`);
    const stop = () => void idp.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  },
  (error: unknown) => {
    console.error("dev-idp failed to start:", error);
    process.exit(1);
  },
);

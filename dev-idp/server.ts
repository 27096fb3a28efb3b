import { startDevIdp } from "./index.js";

const env = process.env;
const port = Number(env.DEV_IDP_PORT || 3001);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  throw new Error(`DEV_IDP_PORT is not a valid port: ${env.DEV_IDP_PORT}`);
}

startDevIdp({
  port,
  host: env.DEV_IDP_HOST || undefined,
  issuer: env.DEV_IDP_ISSUER || undefined,
  clientId: env.DEV_IDP_CLIENT_ID || undefined,
  clientSecret: env.DEV_IDP_CLIENT_SECRET || undefined,
  appUrl: env.DEV_IDP_APP_URL || undefined,
  accountsFile: env.DEV_IDP_ACCOUNTS_FILE || undefined,
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

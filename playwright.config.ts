import path from "node:path";

import { defineConfig } from "@playwright/test";

const report = process.env.E2E_REPORT ?? ".test-data/e2e/playwright.json";

// Started by `npm test` (scripts/test.ts), which brings up the dev IdP, the production build and a throwaway
// database first and passes their addresses in the environment.
export default defineConfig({
  testDir: "./e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [["list"], ["json", { outputFile: report }]],
  // Beside the run's report, so that runs in different slots do not delete each other's traces.
  outputDir: path.join(path.dirname(report), "test-results"),
  use: {
    baseURL: process.env.E2E_BASE_URL ?? "http://localhost:3100",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      // Root in a sandboxed machine with no network beyond localhost: no Chromium sandbox, no background calls home.
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"],
    },
  },
  // The soak holds one worker for about two minutes: listed first, it starts at once and the other worker runs the
  // journeys beside it, instead of it running alone at the end.
  projects: [
    { name: "soak", testMatch: "soak.spec.ts" },
    { name: "chromium", testIgnore: "soak.spec.ts" },
  ],
});

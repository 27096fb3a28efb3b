/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Test runs in parallel (several engineers, one machine) each build into their own folder.
  distDir: process.env.CONFIDE_DIST_DIR || ".next",
  // npm test type-checks the whole project once before building, so the build need not do it again.
  typescript: { ignoreBuildErrors: process.env.CONFIDE_BUILD_SKIP_TYPECHECK === "1" },
  reactStrictMode: true,
  // better-sqlite3 is a native addon: load it from node_modules at run time instead of bundling it.
  serverExternalPackages: ["better-sqlite3"],
  experimental: {
    // The staff CSV import accepts files up to 10 MB (db/validation/staff-import.ts); the rest is the multipart
    // form's own overhead, so an oversized file still reaches the action and gets a clear message. The proxy
    // buffers request bodies too, and silently cuts them at its own limit (10 MB by default), so it gets the same.
    serverActions: { bodySizeLimit: "12mb" },
    proxyClientMaxBodySize: "12mb",
  },
  sassOptions: { loadPaths: ["node_modules"], quietDeps: true, silenceDeprecations: ["import", "global-builtin"] },
  async headers() {
    // Static headers for every response; the nonce-based Content-Security-Policy is set per request in proxy.ts.
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), interest-cohort=()" },
        ],
      },
    ];
  },
};

export default nextConfig;

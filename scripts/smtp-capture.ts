import fs from "node:fs";
import path from "node:path";

import { SMTPServer } from "smtp-server";

// A real SMTP server for the end-to-end run: the app sends through SMTP exactly as in production, and each message
// that arrives is written as an .eml file, so tests can read what was actually delivered.
export function startSmtpCapture(port: number, folder: string): Promise<SMTPServer> {
  fs.mkdirSync(folder, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: the default self-signed STARTTLS certificate would be refused by the client.
    hideSTARTTLS: true,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        count += 1;
        // Filed with Unix line endings, as the demo's outbox writes them (SMTP itself sends CRLF).
        const message = Buffer.concat(chunks).toString("utf8").replace(/\r\n/g, "\n");
        fs.writeFileSync(path.join(folder, `${Date.now()}-${count}.eml`), message, { mode: 0o600 });
        callback();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

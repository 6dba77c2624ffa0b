// Starts the devserver binary on a free port for a test file, and talks to its control API.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { controller } from "./flows/control.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));

export async function startDevserver() {
  const bin = process.env.DEVSERVER_BIN ?? `${root}target/debug/devserver`;
  const child = spawn(bin, ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`devserver exited with ${code}`)));
  });
  const control = controller(url);
  return { url, control, stop: () => child.kill() };
}

// Serves the repository (www/ and pkg/) on 127.0.0.1:PORT for the demo.
import { startStatic } from "../tests/js/static.mjs";
const port = Number(process.argv[2] ?? 8080);
const { url } = await startStatic({}, port);
console.log(`serving ${url}`);

// In an app, "chatwoot-inbox-sdk" comes from npm; here it is the package built in pkg/.
import { fileURLToPath } from "node:url";

export default {
  resolve: { alias: { "chatwoot-inbox-sdk": fileURLToPath(new URL("../../pkg/index.js", import.meta.url)) } },
  esbuild: { jsx: "automatic" },
  build: { outDir: "../../target/react-example", emptyOutDir: true },
  logLevel: "warn",
};

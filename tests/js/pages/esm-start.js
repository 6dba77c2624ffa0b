// The ESM file from a static host; its .wasm is fetched next to it.
import * as sdk from "../../../pkg/index.js";
window.chatApp(sdk);

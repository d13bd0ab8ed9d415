// Calls the jco-transpiled library component from Node and prints what it returned as
// JSON, for tests/tests/library.rs to check. Usage: node library.mjs <path/to/wasmtp.js>
import { pathToFileURL } from "node:url";

const library = await import(pathToFileURL(process.argv[2]).href);
const ok = library.explain.explainReply(250);
let error = null;
try {
  library.explain.explainReply(199);
} catch (thrown) {
  // jco turns `result::err` into a thrown ComponentError carrying the variant.
  error = thrown.payload ?? { thrown: String(thrown) };
}
console.log(JSON.stringify({ ok, error }));

// Validates deploy/kubernetes/*.yaml against the Kubernetes OpenAPI schemas shipped in the npm
// package kubernetes-models (what kubeconform does, offline). deploy/check.sh installs it.
//   NODE_PATH=<dir>/node_modules node deploy/check/kubernetes-schema.mjs deploy/kubernetes/*.yaml
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const require = createRequire(path.join(process.env.NODE_PATH ?? process.cwd(), "x.js"));
const yaml = require("js-yaml");
const groups = {
  "v1": require("kubernetes-models/v1"),
  "apps/v1": require("kubernetes-models/apps/v1"),
  "policy/v1": require("kubernetes-models/policy/v1"),
};
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(readFileSync(file, "utf8"))) {
    if (!doc) continue;
    const where = `${file}: ${doc.kind}/${doc.metadata?.name}`;
    const Model = groups[doc.apiVersion]?.[doc.kind];
    if (!Model) {
      console.log(`${where}: ${doc.apiVersion} not in the built-in schemas, not validated`);
      continue;
    }
    try {
      new Model(doc).validate();
      console.log(`${where}: valid`);
    } catch (e) {
      failed++;
      console.log(`${where}: INVALID\n${e.message}`);
    }
  }
}
process.exit(failed ? 1 : 0);

// Copy the built files of the pinned npm packages into rasid/web/static/vendor/ (committed; served by the app).
// Run after `npm ci`: node vendor.mjs. Records name, version, licence and sha256 of every file in VENDOR.json.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "rasid", "web", "static", "vendor");
const FILES = {
  leaflet: ["dist/leaflet.js", "dist/leaflet.css", "dist/images", "LICENSE"],
  uplot: ["dist/uPlot.iife.min.js", "dist/uPlot.min.css", "LICENSE"],
};

function walk(p) {
  return statSync(p).isDirectory() ? readdirSync(p).sort().flatMap((f) => walk(join(p, f))) : [p];
}

rmSync(out, { recursive: true, force: true });
const record = {};
for (const [name, files] of Object.entries(FILES)) {
  const src = join(here, "node_modules", name);
  const pkg = JSON.parse(readFileSync(join(src, "package.json"), "utf8"));
  const dest = join(out, name);
  mkdirSync(dest, { recursive: true });
  const hashes = {};
  for (const f of files) {
    const target = join(dest, f.replace(/^dist\//, ""));
    cpSync(join(src, f), target, { recursive: true });
    for (const file of walk(target)) {
      hashes[relative(out, file)] = createHash("sha256").update(readFileSync(file)).digest("hex");
    }
  }
  record[name] = { version: pkg.version, license: pkg.license, homepage: pkg.homepage, files: hashes };
}
writeFileSync(join(out, "VENDOR.json"), JSON.stringify(record, null, 2) + "\n");
console.log(`vendored ${Object.keys(record).join(", ")} into ${out}`);

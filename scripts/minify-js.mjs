// Trunk post-build hook (see Trunk.toml): in a release build, minifies the JavaScript glue that
// wasm-bindgen writes (trunk's own minifier leaves it alone) with terser, from tools/node_modules,
// and updates its subresource-integrity hash in index.html, so the page still loads it.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
const source = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
if (process.env.TRUNK_PROFILE !== "release" || !staging) process.exit(0);

const { minify } = createRequire(join(source, "tools", "package.json"))("terser");
const integrity = (text) => "sha384-" + createHash("sha384").update(text).digest("base64");
const htmlPath = join(staging, "index.html");
let html = readFileSync(htmlPath, "utf8");

for (const name of readdirSync(staging).filter((f) => f.endsWith(".js"))) {
  const path = join(staging, name);
  const original = readFileSync(path, "utf8");
  const { code } = await minify(original, { module: true, compress: true, mangle: true });
  if (!code) throw new Error(`terser produced nothing for ${name}`);
  const before = integrity(original);
  if (html.includes(before)) html = html.split(before).join(integrity(code));
  writeFileSync(path, code);
  console.log(`minified ${name}: ${original.length} → ${code.length} bytes`);
}
writeFileSync(htmlPath, html);

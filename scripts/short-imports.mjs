// Short names for the functions a release wasm imports from its glue.
//
// wasm-bindgen names each import of the glue `__wbg_<name>_<16 hex digits>`
// (or `__wbindgen_<name>`), and the module carries every one of those names,
// about 220 of them: the hex digits do not compress, 2.7 KB gzip of the
// page's wasm (issue 29). This gives each such import a short name, `$` and
// its number in base 36, in the wasm's import section and in the glue's
// object of imports, where each name is written once (checked: a name found
// any other number of times fails the build). Nothing else changes: the
// glue's functions, the wasm's code and its exports are the same.
//
// fallback.mjs calls it on both builds of a release page.

import fs from 'node:fs';

/// `n` as an unsigned LEB128.
function leb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/// Reads an unsigned LEB128 of `bytes` at `at`: [value, next offset].
function readLeb(bytes, at) {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, at];
  }
}

/// The offset after an import's description at `at` (its kind, then what
/// the kind needs: a type index, a table, a memory's limits, a global, a tag).
function skipDescription(bytes, at) {
  const kind = bytes[at++];
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = readLeb(bytes, p);
    if (flags & 1) [, p] = readLeb(bytes, p);
    return p;
  };
  switch (kind) {
    case 0: return readLeb(bytes, at)[1];
    case 1: return limits(at + 1);
    case 2: return limits(at);
    case 3: return at + 2;
    case 4: return readLeb(bytes, at + 1)[1];
    default: throw new Error(`short-imports: an import of unknown kind ${kind}`);
  }
}

/// Renames the glue's imports of the wasm at `wasmPath`, in it and in the
/// glue at `jsPath`, both rewritten in place.
export function shortenImports(jsPath, wasmPath) {
  const bytes = fs.readFileSync(wasmPath);
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let js = fs.readFileSync(jsPath, 'utf8');
  const out = [bytes.subarray(0, 8)];
  let at = 8;
  let renamed = 0;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = readLeb(bytes, at + 1);
    const end = start + size;
    let body = bytes.subarray(start, end);
    if (id === 2) {
      let [count, p] = readLeb(bytes, start);
      const parts = [Buffer.from(leb(count))];
      for (let i = 0; i < count; i++) {
        const [moduleLength, m] = readLeb(bytes, p);
        const moduleName = decoder.decode(bytes.subarray(m, m + moduleLength));
        const [fieldLength, f] = readLeb(bytes, m + moduleLength);
        let field = decoder.decode(bytes.subarray(f, f + fieldLength));
        const next = skipDescription(bytes, f + fieldLength);
        if (moduleName.endsWith('_bg.js') && /^__wb(g|indgen)_\w+$/.test(field)) {
          const short = `$${(renamed++).toString(36)}`;
          const uses = js.match(new RegExp(`\\b${field}\\b`, 'g'))?.length ?? 0;
          if (uses !== 1) throw new Error(`short-imports: ${field} is written ${uses} times in ${jsPath}`);
          js = js.replace(new RegExp(`\\b${field}\\b`), () => short);
          field = short;
        }
        const fieldBytes = encoder.encode(field);
        parts.push(Buffer.from(leb(moduleLength)), bytes.subarray(m, m + moduleLength),
          Buffer.from(leb(fieldBytes.length)), fieldBytes, bytes.subarray(f + fieldLength, next));
        p = next;
      }
      body = Buffer.concat(parts);
    }
    out.push(Buffer.from([id, ...leb(body.length)]), body);
    at = end;
  }
  fs.writeFileSync(wasmPath, Buffer.concat(out));
  fs.writeFileSync(jsPath, js);
  return renamed;
}

/*
 * scorm-api.js: the player page's glue around scorm-runtime.js (docs/runtime-protocol.md).
 *
 * - Reads the `#scorm-runtime` JSON blob, builds the ScormRuntime over the attempt's state
 *   and installs `window.API` (SCORM 1.2 RTE 3.3) or `window.API_1484_11` (2004 RTE 3.1) on
 *   this window, where the SCO's discovery walk up from `#sco-frame` finds it; only then
 *   does the frame get its `src` (the API must exist before the SCO loads, rte-api.md 5).
 * - Commits (protocol section 3): each batch of changes gets the attempt's next `seq`, is
 *   kept in memory and in localStorage until the server acknowledges it, and is sent oldest
 *   first, retried with exponential backoff. Batches left from an earlier load of the same
 *   attempt go first. On pagehide the page beacons what it holds; the server acknowledges a
 *   repeated seq without applying it again, so sending twice is harmless.
 * - Request bodies (protocol 3, "Encoding and parts"): a body over 16 KiB is deflated when
 *   that makes it smaller; a batch whose body is still over a part (60 KiB, what a beacon or
 *   a keepalive request may carry) travels in parts, a long value cut across parts with a
 *   continuation marker. The cut is recorded with the batch, so every resend, on this load
 *   or the next, sends the same parts; which parts went by beacon is recorded too.
 * - A discreet save status in `#save-status`, and a banner when saving stops for good.
 *
 * In node, `module.exports` gives the pieces (CommitQueue, splitBatch, deflateRaw, start
 * ...) for tests; in a browser they are `window.ScormApi` as well.
 */
(function (root, factory) {
  "use strict";
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (root) root.ScormApi = api;
  if (root && root.document) api.startWhenReady(root);
})(typeof window !== "undefined" ? window : null, function () {
  "use strict";

  const PART_LIMIT = 60 * 1024; // bytes; sendBeacon / keepalive bodies must stay under 64 KiB
  // Chrome lets a page have at most 64 KiB of keepalive and beacon bodies in flight at once.
  const INFLIGHT_LIMIT = 64 * 1024;
  // What a recorded split leaves free in each part for a renewed token or a longer seq.
  const ENVELOPE_RESERVE = 2 * 1024;
  const COMPRESS_ABOVE = 16 * 1024; // bytes; a larger body is deflated if that saves bytes
  // A deflated body starts with these bytes: 0xFF never starts UTF-8 text, so no JSON body
  // can be taken for one (a beacon cannot set a Content-Encoding header).
  const DEFLATE_MARKER = Uint8Array.from([0xff, ...new TextEncoder().encode("deflate-raw\n")]);
  const CONTINUES = "+"; // ["element", "chunk", "+"]: appends to the previous change's value
  const FIRST_RETRY_MS = 1000;
  const LAST_RETRY_MS = 60 * 1000;
  const API_VERSION_2004 = "1.0"; // API_1484_11.version (IEEE 1484.11.2)
  const MESSAGES = {
    saving: "Saving…",
    saved: "All changes saved",
    retrying: "Not saved — retrying",
    superseded: "This course was opened in another window; this window no longer saves.",
    closed: "This session has ended; this window no longer saves.",
    rejected: "A change could not be saved and was dropped",
  };
  // Refusals that no resend can cure: the page stops saving and says why.
  const FINAL_REFUSALS = { superseded: "superseded", closed: "closed", forbidden: "closed" };

  const encoder = new TextEncoder();
  const byteLength = (text) => encoder.encode(text).length; // what the request body weighs

  // --- compression: raw DEFLATE (RFC 1951) ------------------------------------------------
  //
  // Our own small compressor because the body must be ready synchronously while the page
  // goes away (CompressionStream is asynchronous), and Python's standard library reads its
  // output as is: zlib.decompressobj(-15). LZ77 over a 32 KiB window with hash chains
  // (greedy, at most MAX_CHAIN candidates a position, zlib's "too far" rule for 3-byte
  // matches), then, per block of at most BLOCK_TOKENS tokens, whichever of the three block
  // types is smallest: stored, fixed Huffman or dynamic Huffman (RFC 1951 3.2.4 - 3.2.7).

  const WINDOW = 32768;
  const MIN_MATCH = 3;
  const MAX_MATCH = 258;
  const TOO_FAR = 4096; // a 3-byte match further back costs more than three literals
  const MAX_CHAIN = 64;
  const NICE_MATCH = 128; // long enough: stop looking
  const HASH_SIZE = 1 << 15;
  const BLOCK_TOKENS = 16384;
  const STORED_MAX = 65535;
  const END_OF_BLOCK = 256;
  // RFC 1951 3.2.5: length codes 257..285 and distance codes 0..29, base and extra bits.
  const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
    67, 83, 99, 115, 131, 163, 195, 227, 258];
  const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
    5, 5, 5, 5, 0];
  const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
    769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
    11, 11, 12, 12, 13, 13];
  // RFC 1951 3.2.7: the order code length code lengths are written in.
  const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

  /** code[value] for every value from 0 to top: the code whose range [base, next) holds it. */
  function codeTable(bases, top) {
    const table = new Uint8Array(top + 1);
    bases.forEach((base, code) => {
      const end = code + 1 < bases.length ? bases[code + 1] : top + 1;
      table.fill(code, base, end);
    });
    return table;
  }
  const LENGTH_CODE = codeTable(LENGTH_BASE, MAX_MATCH);
  const DIST_CODE = codeTable(DIST_BASE, WINDOW);

  /** RFC 1951 3.2.6: the fixed Huffman code lengths. */
  const FIXED_LITERALS = new Uint8Array(288).fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280)
    .fill(8, 280, 288);
  const FIXED_DISTANCES = new Uint8Array(30).fill(5);

  /** Bits into bytes, least significant bit first (RFC 1951 3.1.1). */
  class BitWriter {
    constructor(capacity) {
      this.bytes = new Uint8Array(Math.max(capacity, 64));
      this.length = 0;
      this.buffer = 0;
      this.count = 0;
    }

    /** Append the `n` (at most 16) low bits of `value`. */
    write(value, n) {
      this.buffer |= value << this.count;
      this.count += n;
      while (this.count >= 8) {
        this._byte(this.buffer & 0xff);
        this.buffer >>>= 8;
        this.count -= 8;
      }
    }

    /** Pad to a byte boundary with zero bits. */
    align() {
      if (this.count > 0) this._byte(this.buffer & 0xff);
      this.buffer = 0;
      this.count = 0;
    }

    /** Whole bytes (after align()). */
    copy(source, start, end) {
      for (let i = start; i < end; i++) this._byte(source[i]);
    }

    finish() {
      this.align();
      return this.bytes.slice(0, this.length);
    }

    _byte(value) {
      if (this.length === this.bytes.length) {
        const grown = new Uint8Array(this.bytes.length * 2);
        grown.set(this.bytes);
        this.bytes = grown;
      }
      this.bytes[this.length++] = value;
    }
  }

  /**
   * LZ77: the input as tokens, `lengths[t]` 0 for a literal `values[t]` (a byte), else a
   * match of that length `values[t]` bytes back.
   */
  function findMatches(input) {
    const n = input.length;
    const head = new Int32Array(HASH_SIZE).fill(-1); // hash -> the last position with it
    const previous = new Int32Array(WINDOW); // position -> the one before with the same hash
    const lengths = new Uint16Array(n);
    const values = new Uint16Array(n);
    const lastHashed = n - MIN_MATCH; // the last position with three bytes to hash
    // (The hash is written out where it is used: this loop runs once a byte, cold too.)
    let count = 0;
    let i = 0;
    while (i < n) {
      let bestLength = 0;
      let bestDistance = 0;
      if (i <= lastHashed) {
        const h = ((input[i] << 10) ^ (input[i + 1] << 5) ^ input[i + 2]) & (HASH_SIZE - 1);
        let candidate = head[h];
        previous[i & (WINDOW - 1)] = candidate;
        head[h] = i;
        const limit = Math.min(MAX_MATCH, n - i);
        let chain = MAX_CHAIN;
        while (chain-- > 0 && candidate >= 0 && i - candidate < WINDOW) {
          // Only a candidate that also matches at the current best length can beat it.
          if (input[candidate + bestLength] === input[i + bestLength]) {
            let length = 0;
            while (length < limit && input[candidate + length] === input[i + length]) length++;
            if (length > bestLength) {
              bestLength = length;
              bestDistance = i - candidate;
              if (length >= NICE_MATCH || length === limit) break;
            }
          }
          candidate = previous[candidate & (WINDOW - 1)];
        }
      }
      if (bestLength > MIN_MATCH || (bestLength === MIN_MATCH && bestDistance <= TOO_FAR)) {
        lengths[count] = bestLength;
        values[count++] = bestDistance;
        const end = Math.min(i + bestLength, lastHashed + 1);
        for (let j = i + 1; j < end; j++) { // the positions inside the match join the chains
          const h = ((input[j] << 10) ^ (input[j + 1] << 5) ^ input[j + 2]) & (HASH_SIZE - 1);
          previous[j & (WINDOW - 1)] = head[h];
          head[h] = j;
        }
        i += bestLength;
      } else {
        values[count++] = input[i++];
      }
    }
    return { lengths, values, count };
  }

  /**
   * Huffman code lengths for `frequencies`, none longer than `maxBits`. While the tree is
   * too deep the frequencies are halved (rounding up) and it is built again: flatter, and
   * in the end balanced. At least two symbols get a code (zlib's inflate refuses an
   * incomplete code-length code).
   */
  function codeLengths(frequencies, maxBits) {
    const lengths = new Uint8Array(frequencies.length);
    let weights = Array.from(frequencies);
    for (;;) {
      const used = [];
      weights.forEach((weight, symbol) => {
        if (weight > 0) used.push(symbol);
      });
      if (used.length < 2) {
        const two = [...used, ...[0, 1].filter((s) => !used.includes(s))].slice(0, 2);
        for (const symbol of two) lengths[symbol] = 1;
        return lengths;
      }
      used.sort((a, b) => weights[a] - weights[b] || a - b);
      // Two queues: leaves by weight, then the merged nodes in the order made (their
      // weights never decrease), so the two lightest are always at the queues' heads.
      const m = used.length;
      const weight = new Float64Array(2 * m - 1);
      const parent = new Int32Array(2 * m - 1);
      used.forEach((symbol, k) => {
        weight[k] = weights[symbol];
      });
      let leaf = 0;
      let inner = m;
      let made = m;
      const lightest = () =>
        leaf < m && (inner === made || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
      while (made < 2 * m - 1) {
        const a = lightest();
        const b = lightest();
        weight[made] = weight[a] + weight[b];
        parent[a] = parent[b] = made;
        made += 1;
      }
      const depth = new Uint8Array(2 * m - 1);
      for (let k = 2 * m - 3; k >= 0; k--) depth[k] = depth[parent[k]] + 1;
      let deepest = 0;
      used.forEach((symbol, k) => {
        lengths[symbol] = depth[k];
        deepest = Math.max(deepest, depth[k]);
      });
      if (deepest <= maxBits) return lengths;
      lengths.fill(0);
      weights = weights.map((w) => (w > 0 ? Math.ceil(w / 2) : 0));
    }
  }

  /** RFC 1951 3.2.2: canonical codes for the lengths, bit-reversed for the writer. */
  function canonicalCodes(lengths) {
    const perLength = new Uint16Array(16);
    for (const length of lengths) if (length) perLength[length] += 1;
    const next = new Uint16Array(16);
    for (let bits = 1, code = 0; bits < 16; bits++) {
      code = (code + perLength[bits - 1]) << 1;
      next[bits] = code;
    }
    const codes = new Uint16Array(lengths.length);
    lengths.forEach((length, symbol) => {
      if (!length) return;
      let code = next[length]++;
      let reversed = 0;
      for (let b = 0; b < length; b++, code >>= 1) reversed = (reversed << 1) | (code & 1);
      codes[symbol] = reversed;
    });
    return codes;
  }

  /**
   * RFC 1951 3.2.7: the literal/length and distance code lengths as one sequence, run-length
   * coded: 16 repeats the previous length 3-6 times, 17 and 18 give 3-10 and 11-138 zeros.
   * Returns [symbol, extra bits, extra value] triples.
   */
  function runLengths(all) {
    const out = [];
    for (let i = 0; i < all.length; ) {
      const length = all[i];
      let run = 1;
      while (i + run < all.length && all[i + run] === length) run++;
      i += run;
      if (length === 0) {
        for (; run >= 11; run -= Math.min(run, 138)) out.push([18, 7, Math.min(run, 138) - 11]);
        if (run >= 3) out.push([17, 3, run - 3]);
        else for (; run > 0; run--) out.push([0, 0, 0]);
      } else {
        out.push([length, 0, 0]);
        for (run -= 1; run >= 3; run -= Math.min(run, 6)) out.push([16, 2, Math.min(run, 6) - 3]);
        for (; run > 0; run--) out.push([length, 0, 0]);
      }
    }
    return out;
  }

  /** A dynamic block's header: its size in bits and how to write it. */
  function dynamicHeader(literalLengths, distanceLengths) {
    let literals = 286;
    while (literals > 257 && !literalLengths[literals - 1]) literals--;
    let distances = 30;
    while (distances > 1 && !distanceLengths[distances - 1]) distances--;
    const runs = runLengths([
      ...literalLengths.subarray(0, literals), ...distanceLengths.subarray(0, distances),
    ]);
    const frequencies = new Uint32Array(19);
    for (const [symbol] of runs) frequencies[symbol] += 1;
    const lengths = codeLengths(frequencies, 7);
    const codes = canonicalCodes(lengths);
    let order = 19;
    while (order > 4 && !lengths[CODE_LENGTH_ORDER[order - 1]]) order--;
    let bits = 5 + 5 + 4 + 3 * order;
    for (const [symbol, extra] of runs) bits += lengths[symbol] + extra;
    const write = (out) => {
      out.write(literals - 257, 5);
      out.write(distances - 1, 5);
      out.write(order - 4, 4);
      for (let k = 0; k < order; k++) out.write(lengths[CODE_LENGTH_ORDER[k]], 3);
      for (const [symbol, extra, value] of runs) {
        out.write(codes[symbol], lengths[symbol]);
        if (extra) out.write(value, extra);
      }
    };
    return { bits, write };
  }

  /** The bits the tokens [from, to) take under the given code lengths (extra bits too). */
  function dataBits(literalFrequencies, distanceFrequencies, literalLengths, distanceLengths) {
    let bits = 0;
    literalFrequencies.forEach((f, symbol) => {
      if (f) bits += f * (literalLengths[symbol] + (symbol > 256 ? LENGTH_EXTRA[symbol - 257] : 0));
    });
    distanceFrequencies.forEach((f, code) => {
      if (f) bits += f * (distanceLengths[code] + DIST_EXTRA[code]);
    });
    return bits;
  }

  function writeTokens(out, tokens, from, to, literalLengths, distanceLengths) {
    const literalCodes = canonicalCodes(literalLengths);
    const distanceCodes = canonicalCodes(distanceLengths);
    const { lengths, values } = tokens;
    for (let t = from; t < to; t++) {
      const length = lengths[t];
      if (!length) {
        out.write(literalCodes[values[t]], literalLengths[values[t]]);
        continue;
      }
      const code = LENGTH_CODE[length];
      out.write(literalCodes[257 + code], literalLengths[257 + code]);
      if (LENGTH_EXTRA[code]) out.write(length - LENGTH_BASE[code], LENGTH_EXTRA[code]);
      const distance = values[t];
      const dcode = DIST_CODE[distance];
      out.write(distanceCodes[dcode], distanceLengths[dcode]);
      if (DIST_EXTRA[dcode]) out.write(distance - DIST_BASE[dcode], DIST_EXTRA[dcode]);
    }
    out.write(literalCodes[END_OF_BLOCK], literalLengths[END_OF_BLOCK]);
  }

  /**
   * `bytes` (a Uint8Array) as raw DEFLATE, the stream `zlib.decompressobj(-15)` reads.
   * Deterministic: the same bytes always give the same output.
   */
  function deflateRaw(bytes) {
    const tokens = findMatches(bytes);
    const out = new BitWriter(bytes.length / 2 + 64);
    let position = 0; // of the first input byte the next block covers
    let from = 0;
    do {
      const to = Math.min(from + BLOCK_TOKENS, tokens.count);
      const last = to === tokens.count ? 1 : 0;
      const literalFrequencies = new Uint32Array(286);
      const distanceFrequencies = new Uint32Array(30);
      let covered = 0;
      for (let t = from; t < to; t++) {
        const length = tokens.lengths[t];
        if (length) {
          literalFrequencies[257 + LENGTH_CODE[length]] += 1;
          distanceFrequencies[DIST_CODE[tokens.values[t]]] += 1;
          covered += length;
        } else {
          literalFrequencies[tokens.values[t]] += 1;
          covered += 1;
        }
      }
      literalFrequencies[END_OF_BLOCK] = 1;
      const literalLengths = codeLengths(literalFrequencies, 15);
      const distanceLengths = codeLengths(distanceFrequencies, 15);
      const header = dynamicHeader(literalLengths, distanceLengths);
      const dynamic = 3 + header.bits +
        dataBits(literalFrequencies, distanceFrequencies, literalLengths, distanceLengths);
      const fixed = 3 + dataBits(literalFrequencies, distanceFrequencies, FIXED_LITERALS,
        FIXED_DISTANCES);
      const stored = (covered + 5 * Math.max(1, Math.ceil(covered / STORED_MAX))) * 8 + 7;
      if (stored <= dynamic && stored <= fixed) {
        // Stored: the bytes as they are, in blocks of at most 65,535 (LEN, then ~LEN).
        let start = position;
        const end = position + covered;
        do {
          const size = Math.min(STORED_MAX, end - start);
          out.write(last && start + size === end ? 1 : 0, 1);
          out.write(0, 2);
          out.align();
          out.write(size, 16);
          out.write(~size & 0xffff, 16);
          out.copy(bytes, start, start + size);
          start += size;
        } while (start < end);
      } else if (fixed <= dynamic) {
        out.write(last, 1);
        out.write(1, 2);
        writeTokens(out, tokens, from, to, FIXED_LITERALS, FIXED_DISTANCES);
      } else {
        out.write(last, 1);
        out.write(2, 2);
        header.write(out);
        writeTokens(out, tokens, from, to, literalLengths, distanceLengths);
      }
      position += covered;
      from = to;
    } while (from < tokens.count);
    return out.finish();
  }

  // --- request bodies -----------------------------------------------------------------------

  /**
   * The request body for a commit object: {data, bytes, textBytes, compressed}. JSON text,
   * or, when the text is over COMPRESS_ABOVE bytes and deflating makes it smaller,
   * DEFLATE_MARKER followed by the raw DEFLATE of the same UTF-8 text.
   */
  function encodeBody(body) {
    const text = JSON.stringify(body);
    const raw = encoder.encode(text);
    const plain = { data: text, bytes: raw.length, textBytes: raw.length, compressed: false };
    if (raw.length <= COMPRESS_ABOVE) return plain;
    const deflated = deflateRaw(raw);
    if (DEFLATE_MARKER.length + deflated.length >= raw.length) return plain;
    const data = new Uint8Array(DEFLATE_MARKER.length + deflated.length);
    data.set(DEFLATE_MARKER);
    data.set(deflated, DEFLATE_MARKER.length);
    return { data, bytes: data.length, textBytes: raw.length, compressed: true };
  }

  // --- batches and parts ------------------------------------------------------------------

  const SHORT_ESCAPES = [0x08, 0x09, 0x0a, 0x0c, 0x0d]; // \b \t \n \f \r

  /**
   * From `value[from]`, the longest run of whole code points whose JSON string form (as
   * JSON.stringify escapes it) takes at most `room` UTF-8 bytes: [end, bytes]. Never ends
   * between the two halves of a surrogate pair, which would leave each chunk invalid text.
   */
  function fitChunk(value, from, room) {
    let used = 0;
    let i = from;
    while (i < value.length) {
      const c = value.charCodeAt(i);
      let bytes = 3;
      let units = 1;
      if (c < 0x80) {
        if (c === 0x22 || c === 0x5c) bytes = 2;
        else if (c >= 0x20) bytes = 1;
        else bytes = SHORT_ESCAPES.includes(c) ? 2 : 6;
      } else if (c < 0x800) {
        bytes = 2;
      } else if (c >= 0xd800 && c < 0xdc00 && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        bytes = 4;
        units = 2;
      } else if (c >= 0xd800 && c < 0xe000) {
        bytes = 6; // a lone surrogate: \udxxx
      }
      if (used + bytes > room) break;
      used += bytes;
      i += units;
    }
    return [i, used];
  }

  /**
   * Where a batch's parts start (protocol 3, `part: [i, n]`): `[[change, offset], ...]`, the
   * first always [0, 0]; a part starting at offset > 0 starts with the rest of that change's
   * value. Each part's changes weigh at most `budget`: their bytes as JSON, each value's
   * scaled by its `ratios[i]` (what deflating is expected to leave of it; 1 by default). A
   * change that fits a part of its own is never cut; a larger one fills the part it starts
   * in and goes on in the next ones. Deterministic.
   */
  function splitBatch(changes, budget, ratios) {
    const cuts = [[0, 0]];
    let room = budget;
    changes.forEach(([name, value], i) => {
      const ratio = ratios ? ratios[i] : 1;
      const frame = byteLength(JSON.stringify([name, "", CONTINUES])) + 1; // and a comma
      let rest = byteLength(JSON.stringify(value)) - 2;
      let offset = 0;
      if (frame + rest * ratio > room && frame + rest * ratio <= budget) {
        cuts.push([i, 0]);
        room = budget;
      }
      while (frame + rest * ratio > room) {
        const [end, used] = fitChunk(value, offset, (room - frame) / ratio);
        if (end === offset && room === budget) throw new Error(`${name} cannot be split`);
        offset = end;
        rest -= used;
        cuts.push([i, offset]);
        room = budget;
      }
      room -= frame + rest * ratio;
    });
    return cuts;
  }

  /** The changes of each part for `cuts` (splitBatch); a chunk after a cut says CONTINUES. */
  function cutChanges(changes, cuts) {
    return cuts.map(([first, offset], k) => {
      const [last, end] = k + 1 < cuts.length ? cuts[k + 1] : [changes.length, 0];
      const part = [];
      for (let i = first; i < last || (i === last && end > 0); i++) {
        const [name, value] = changes[i];
        const start = i === first ? offset : 0;
        const change = [name, value.slice(start, i === last ? end : value.length)];
        if (start > 0) change.push(CONTINUES);
        part.push(change);
      }
      return part;
    });
  }

  /** Whether cuts read back from storage fit `changes` (else the batch is cut afresh). */
  function validCuts(cuts, changes) {
    if (!Array.isArray(cuts) || !cuts.length) return false;
    return cuts.every((cut, k) => {
      if (!Array.isArray(cut) || cut.length !== 2 || !cut.every(Number.isInteger)) return false;
      const [i, offset] = cut;
      if (k === 0) return i === 0 && offset === 0;
      const [before, beforeOffset] = cuts[k - 1];
      const inside = i < changes.length && offset >= 0 && offset < changes[i][1].length;
      return inside && (i > before || (i === before && offset > beforeOffset));
    });
  }

  /** What deflating a value is expected to leave of it (1 for short values). */
  function deflateRatio(value) {
    const raw = encoder.encode(JSON.stringify(value));
    if (raw.length <= 1024) return 1; // short: not worth deflating on its own
    return Math.min(1, Math.max(0.01, deflateRaw(raw).length / raw.length));
  }

  /**
   * A batch's request bodies, each at most `limit` bytes: {bodies, cuts} (cuts null for one
   * part). `encodePart(changes, i, n)` makes part i of n. The split weighs each value by how
   * well it deflates on its own (so a part can hold a long compressible value and a piece of
   * an incompressible one); a part that still comes out too large makes the split finer, and
   * in the end parts whose JSON text alone fits are used.
   */
  function planParts(changes, encodePart, limit) {
    // Far over a part, each value is deflated on its own first; deflating the whole body is
    // skipped when together they would still not fit.
    const valueBytes = changes.map(([, value]) => byteLength(JSON.stringify(value)));
    let ratios = null;
    let tryWhole = true;
    if (valueBytes.reduce((sum, bytes) => sum + bytes, 0) > 2 * limit) {
      ratios = changes.map(([, value]) => deflateRatio(value));
      tryWhole = valueBytes.reduce((sum, bytes, i) => sum + bytes * ratios[i], 0) <= 1.5 * limit;
    }
    if (tryWhole) {
      const whole = encodePart(changes, 1, 1);
      if (whole.bytes <= limit) return { bodies: [whole], cuts: null };
    }
    // The changes' share of a part: the envelope, and 32 bytes for larger part numbers.
    const floor = limit - encodePart([], 1, 1).textBytes - 32;
    ratios = ratios || changes.map(([, value]) => deflateRatio(value));
    let budget = Math.floor(floor * 0.95);
    for (let round = 1; ; round++) {
      if (round > 4) [ratios, budget] = [null, floor]; // plain JSON parts always fit
      const cuts = splitBatch(changes, budget, ratios);
      const parts = cutChanges(changes, cuts);
      const bodies = parts.map((part, k) => encodePart(part, k + 1, parts.length));
      const largest = Math.max(...bodies.map((body) => body.bytes));
      if (largest <= limit || !ratios) return { bodies, cuts };
      budget = Math.floor(budget * (limit / largest) * 0.95);
    }
  }

  // --- the commit queue -------------------------------------------------------------------

  /**
   * Unacknowledged batches, sent one request at a time, oldest first.
   *
   * A batch is {seq, changes, final}, plus `cuts` (splitBatch) once it needed more than one
   * part and `beaconed` (the part numbers handed to sendBeacon, not sent again until an
   * answer says they are missing); all of it is kept in localStorage.
   *
   * @param options {attempt, ackedSeq, token, endpoints: {commit, renew}, storageKey,
   *   env: {fetch, storage, sendBeacon, setTimeout, clearTimeout, Blob}, onStatus(kind, detail)}
   */
  class CommitQueue {
    constructor(options) {
      this.attempt = options.attempt;
      this.token = options.token;
      this.endpoints = options.endpoints;
      this.storageKey = options.storageKey;
      // Which page wrote the saved batches: a superseded page takes back only its own.
      this.pageId = Math.random().toString(36).slice(2) + Date.now().toString(36);
      this.env = options.env;
      this.onStatus = options.onStatus || (() => {});
      this.partLimit = options.partLimit || PART_LIMIT;
      this.pending = [];
      this.lastSeq = options.ackedSeq || 0;
      this.stopped = false;
      this.leaving = false; // after pagehide: send by beacon, the page is going away
      this._encoded = new WeakMap(); // batch -> {key, bodies}: its parts' request bodies
      this._keptAlive = 0; // bytes of keepalive requests not answered yet
      this._beaconBytes = 0; // bytes beaconed in this task (the page may be going away)
      this._retryDelay = FIRST_RETRY_MS;
      this._retryTimer = null;
      this._draining = null;
    }

    /** Take back what an earlier load of this attempt left unsent; returns those batches. */
    restore() {
      let saved = null;
      try {
        saved = JSON.parse(this.env.storage.getItem(this.storageKey) || "null");
      } catch (error) {
        saved = null; // unreadable: nothing to restore
      }
      if (!saved || saved.attempt !== this.attempt || !Array.isArray(saved.batches)) return [];
      const acked = this.lastSeq;
      this.pending = saved.batches.filter((b) => b.seq > acked).sort((a, b) => a.seq - b.seq);
      for (const batch of this.pending) {
        this.lastSeq = Math.max(this.lastSeq, batch.seq);
        if (batch.cuts && !validCuts(batch.cuts, batch.changes)) delete batch.cuts;
        if (!batch.cuts || !Array.isArray(batch.beaconed)) delete batch.beaconed;
      }
      this._persist();
      return this.pending.slice();
    }

    /** Queue a batch with the next seq (kept until acknowledged) and start sending it. */
    enqueue(changes, final) {
      if (this.stopped) return null;
      const batch = { seq: ++this.lastSeq, changes, final: Boolean(final) };
      this.pending.push(batch);
      this._persist();
      this.onStatus("saving");
      if (this.leaving) this.beacon();
      else if (final) this.flush();
      else if (!this._retryTimer) this._kick();
      return batch;
    }

    /**
     * Send everything now (backoff or not); resolves true once all is acknowledged, false
     * when a send failed (a retry is then scheduled) or saving stopped.
     */
    flush() {
      this._cancelRetry();
      return this._kick() || Promise.resolve(!this.stopped && this.pending.length === 0);
    }

    /**
     * Hand pending parts not beaconed yet to navigator.sendBeacon (the page is going away),
     * oldest batch first, as long as they fit the browser's in-flight budget (INFLIGHT_LIMIT
     * for all keepalive and beacon bodies together) and it takes them. A batch not sent whole
     * ends the round: the server would refuse later ones as a gap. What is left stays in
     * storage for the next load. Returns how many parts went out.
     */
    beacon() {
      if (this.stopped || !this.env.sendBeacon) return 0;
      let sent = 0;
      for (const batch of this.pending) {
        const bodies = this._bodies(batch);
        const beaconed = new Set(batch.beaconed || []);
        for (let k = 1; k <= bodies.length; k++) {
          const body = bodies[k - 1];
          if (beaconed.has(k) || !this._fits(body.bytes)) continue;
          const blob = body.compressed
            ? new this.env.Blob([body.data]) // no type: a beacon may only send a safe one
            : new this.env.Blob([body.data], { type: "text/plain;charset=UTF-8" });
          if (!this.env.sendBeacon(this.endpoints.commit, blob)) break;
          this._spendBeaconBytes(body.bytes);
          beaconed.add(k);
          sent += 1;
        }
        if (beaconed.size) batch.beaconed = [...beaconed].sort((a, b) => a - b);
        if (beaconed.size < bodies.length) break;
      }
      if (sent) this._persist();
      return sent;
    }

    /** Stop for good (a newer window owns the attempt): no more requests, no more writes. */
    stop() {
      this.stopped = true;
      this._cancelRetry();
    }

    // --- sending ------------------------------------------------------------------------

    /**
     * The request bodies of a batch's parts (cached until the token or seq changes). The
     * first time a batch needs several parts its cuts are recorded, so the parts stay the
     * same on every resend.
     */
    _bodies(batch) {
      const key = `${batch.seq} ${this.token}`;
      const cached = this._encoded.get(batch);
      if (cached && cached.key === key) return cached.bodies;
      const encodePart = (changes, i, n) => encodeBody({
        token: this.token, attempt: this.attempt, seq: batch.seq, changes,
        final: batch.final, part: [i, n],
      });
      let bodies;
      if (batch.cuts) {
        const parts = cutChanges(batch.changes, batch.cuts);
        bodies = parts.map((changes, k) => encodePart(changes, k + 1, parts.length));
      } else {
        const plan = planParts(batch.changes, encodePart, this.partLimit - ENVELOPE_RESERVE);
        bodies = plan.bodies;
        if (plan.cuts) {
          batch.cuts = plan.cuts;
          this._persist();
        }
      }
      this._encoded.set(batch, { key, bodies });
      return bodies;
    }

    /** Whether a body may go by beacon or keepalive now (INFLIGHT_LIMIT, PART_LIMIT). */
    _fits(bytes) {
      return bytes <= this.partLimit &&
        this._keptAlive + this._beaconBytes + bytes <= INFLIGHT_LIMIT;
    }

    /**
     * Count beaconed bytes against the in-flight budget until the current task ends (a page
     * that goes away never gets to the next one; one that stays hands the budget back).
     */
    _spendBeaconBytes(bytes) {
      if (!this._beaconBytes) this.env.setTimeout(() => (this._beaconBytes = 0), 0);
      this._beaconBytes += bytes;
    }

    _kick() {
      if (this.stopped) return null;
      if (!this._draining) {
        this._draining = this._drain().finally(() => {
          this._draining = null;
        });
      }
      return this._draining;
    }

    /**
     * Send batches until none is left, a retry is due, or saving stopped. The status says
     * "saved" at the end unless a batch was dropped on the way (its message stays).
     */
    async _drain() {
      let dropped = false;
      while (this.pending.length && !this.stopped) {
        const next = await this._sendFirst();
        if (next === "retry") {
          this._scheduleRetry();
          return false;
        }
        dropped = dropped || next === "dropped";
      }
      if (this.stopped) return false;
      this._retryDelay = FIRST_RETRY_MS;
      if (!dropped) this.onStatus("saved");
      return !dropped;
    }

    /**
     * One batch: its parts not beaconed yet, in order (if a beacon took them all, the last
     * again, for an answer); then once more the parts a 202 answer says are `missing`.
     * Returns "next", "dropped" or "retry".
     */
    async _sendFirst() {
      const batch = this.pending[0];
      const bodies = this._bodies(batch);
      const beaconed = new Set(batch.beaconed || []);
      let todo = bodies.map((_, k) => k + 1).filter((k) => !beaconed.has(k));
      if (!todo.length) todo = [bodies.length];
      let answer = null;
      for (let round = 0; round < 2 && todo.length; round++) {
        for (const k of todo) {
          answer = await this._post(this.endpoints.commit, bodies[k - 1], batch.final);
          if (!answer.ok) return this._handle(batch, answer);
        }
        const missing = answer.body.ack === null ? answer.body.missing : null;
        todo = Array.isArray(missing) ? missing.filter((k) => bodies[k - 1]) : [];
      }
      return this._handle(batch, answer);
    }

    /** POST a body (encodeBody); never rejects: {ok, status, body} (status 0: no answer). */
    async _post(url, body, keepalive) {
      const type = body.compressed ? "application/octet-stream" : "application/json";
      const init = { method: "POST", headers: { "Content-Type": type }, body: body.data };
      // keepalive lets a final batch outlive the page, but only within the in-flight budget.
      const kept = Boolean(keepalive) && this._fits(body.bytes);
      if (kept) {
        init.keepalive = true;
        this._keptAlive += body.bytes;
      }
      try {
        const response = await this.env.fetch(url, init);
        let parsed = {};
        try {
          parsed = (await response.json()) || {};
        } catch (error) {
          parsed = {};
        }
        return { ok: response.ok, status: response.status, body: parsed };
      } catch (error) {
        return { ok: false, status: 0, body: {} };
      } finally {
        if (kept) this._keptAlive -= body.bytes;
      }
    }

    /** What the server's answer to a batch means for the queue (protocol 3, Answers). */
    async _handle(batch, answer) {
      const error = answer.body.error;
      if (answer.ok) {
        if (answer.body.ack === null) {
          // 202: the server still misses a part of this batch; send them all again.
          delete batch.beaconed;
          this._persist();
          return "retry";
        }
        const ack = typeof answer.body.ack === "number" ? answer.body.ack : batch.seq;
        this.pending = this.pending.filter((b) => b.seq > ack && b !== batch);
        this._persist();
        return "next";
      }
      if (answer.status === 401) return (await this.renew()) ? "next" : "retry";
      if (Object.prototype.hasOwnProperty.call(FINAL_REFUSALS, error)) {
        this._stopFor(FINAL_REFUSALS[error]);
        return "next";
      }
      if (answer.status === 409 && error === "gap" && typeof answer.body.expected === "number") {
        return this._renumber(answer.body.expected) ? "next" : "retry";
      }
      if (answer.status === 422) {
        // The server stored nothing of this batch: drop it, the rest moves up one seq.
        this.pending = this.pending.filter((b) => b !== batch);
        this._renumber(batch.seq);
        this.onStatus("rejected", answer.body);
        return "dropped";
      }
      return "retry";
    }

    /**
     * Number the pending batches from `first`, the seq the server expects next (a batch
     * below it was applied already). Returns whether anything changed.
     */
    _renumber(first) {
      const before = this.pending.map((b) => b.seq).join();
      this.pending = this.pending.filter((b) => b.seq >= first);
      this.pending.forEach((batch, i) => {
        batch.seq = first + i;
        delete batch.beaconed; // what went by beacon carried the old numbers
      });
      this.lastSeq = this.pending.length ? first + this.pending.length - 1 : first - 1;
      this._persist();
      return this.pending.map((b) => b.seq).join() !== before;
    }

    _scheduleRetry() {
      this.onStatus("retrying");
      this._cancelRetry();
      this._retryTimer = this.env.setTimeout(() => {
        this._retryTimer = null;
        this._kick();
      }, this._retryDelay);
      this._retryDelay = Math.min(this._retryDelay * 2, LAST_RETRY_MS);
    }

    _cancelRetry() {
      if (this._retryTimer) this.env.clearTimeout(this._retryTimer);
      this._retryTimer = null;
    }

    _stopFor(reason) {
      if (reason === "superseded") this._forgetOwnBatches();
      this.stop();
      this.onStatus(reason);
    }

    /**
     * A superseded page's batches were refused: they must not stay in the storage the newer
     * page shares (same attempt, same key), or its next load would send them with its own
     * token and store what the server refused. Batches another page saved stay.
     */
    _forgetOwnBatches() {
      try {
        const saved = JSON.parse(this.env.storage.getItem(this.storageKey) || "null");
        if (saved && saved.page === this.pageId) this.env.storage.removeItem(this.storageKey);
      } catch (error) {
        // Unreadable storage holds nothing of ours to take back.
      }
    }

    // --- the runtime token --------------------------------------------------------------

    /** POST endpoints.renew: a fresh token; false if none came back. */
    async renew() {
      if (this.stopped) return false;
      const body = encodeBody({ token: this.token });
      const answer = await this._post(this.endpoints.renew, body, false);
      if (answer.ok && typeof answer.body.token === "string") {
        this.token = answer.body.token;
        if (typeof answer.body.token_ttl === "number") this.tokenTtl = answer.body.token_ttl;
        return true;
      }
      if (answer.body.error === "superseded") this._stopFor("superseded");
      return false;
    }

    // --- storage ------------------------------------------------------------------------

    _persist() {
      if (this.stopped) return;
      try {
        if (this.pending.length) {
          const saved = { attempt: this.attempt, page: this.pageId, batches: this.pending };
          this.env.storage.setItem(this.storageKey, JSON.stringify(saved));
        } else {
          this.env.storage.removeItem(this.storageKey);
        }
      } catch (error) {
        // Storage full or disabled: the batches are still in memory and still sent.
      }
    }
  }

  // --- the page ---------------------------------------------------------------------------

  /** The SCO-facing object: the standard method names over the runtime; never throws. */
  function scormApi(runtime, version) {
    const guard = (method, failed) => (...args) => {
      try {
        const result = method(...args);
        return typeof result === "string" ? result : failed;
      } catch (error) {
        return failed;
      }
    };
    const methods = {
      Initialize: guard((p) => runtime.initialize(p), "false"),
      Terminate: guard((p) => runtime.terminate(p), "false"),
      GetValue: guard((e) => runtime.getValue(e), ""),
      SetValue: guard((e, v) => runtime.setValue(e, v), "false"),
      Commit: guard((p) => runtime.commit(p), "false"),
      GetLastError: guard(() => runtime.getLastError(), "0"),
      GetErrorString: guard((c) => runtime.getErrorString(c), ""),
      GetDiagnostic: guard((c) => runtime.getDiagnostic(c), ""),
    };
    if (version !== "1.2") return { ...methods, version: API_VERSION_2004 };
    return {
      LMSInitialize: methods.Initialize,
      LMSFinish: methods.Terminate,
      LMSGetValue: methods.GetValue,
      LMSSetValue: methods.SetValue,
      LMSCommit: methods.Commit,
      LMSGetLastError: methods.GetLastError,
      LMSGetErrorString: methods.GetErrorString,
      LMSGetDiagnostic: methods.GetDiagnostic,
    };
  }

  /**
   * `#save-status` (a polite live region) for the save state, and the page's alert,
   * `#player-message` (made if the page has none), when something was lost or saving stopped.
   */
  function statusDisplay(doc) {
    const status = doc.getElementById("save-status");
    if (status) {
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
    }
    const alert = (message) => {
      let element = doc.getElementById("player-message");
      if (!element) {
        element = doc.createElement("div");
        element.id = "player-message";
        element.setAttribute("role", "alert");
        doc.body.insertBefore(element, doc.body.firstChild);
      }
      element.hidden = false;
      element.textContent = message;
    };
    return (kind, detail) => {
      let message = MESSAGES[kind];
      if (kind === "rejected" && detail && detail.element) {
        message = `${message} (${detail.element}: ${detail.message || detail.code}).`;
      }
      if (status) status.textContent = message;
      if (kind === "superseded" || kind === "closed" || kind === "rejected") alert(message);
    };
  }

  function environment(win, overrides) {
    const nav = win.navigator;
    return {
      fetch: (...args) => win.fetch(...args),
      storage: win.localStorage,
      sendBeacon: nav && nav.sendBeacon ? (url, data) => nav.sendBeacon(url, data) : null,
      setTimeout: (fn, ms) => win.setTimeout(fn, ms),
      clearTimeout: (id) => win.clearTimeout(id),
      setInterval: (fn, ms) => win.setInterval(fn, ms),
      Blob: win.Blob,
      ...overrides,
    };
  }

  /**
   * Set up the page: runtime, queue, API, timers, listeners, then the SCO frame.
   * `overrides` replaces parts of the environment (tests).
   */
  function start(win, overrides) {
    const doc = win.document;
    const config = JSON.parse(doc.getElementById("scorm-runtime").textContent);
    const env = environment(win, overrides);
    const queue = new CommitQueue({
      attempt: config.attempt.id, ackedSeq: config.attempt.acked_seq, token: config.token,
      endpoints: config.endpoints, storageKey: config.storage_key, env,
      onStatus: statusDisplay(doc),
    });
    queue.tokenTtl = config.token_ttl;
    const unsent = queue.restore();

    let runtime = null;
    const commitChanges = (final) => {
      const changes = runtime.takeChanges();
      if (changes.length || final) queue.enqueue(changes, final);
      return !queue.stopped;
    };
    runtime = new win.ScormRuntime(config.definitions, config.state || {}, {
      policy: config.policy,
      dataMaps: config.data_maps,
      onCommit: () => commitChanges(false),
      onTerminate: () => commitChanges(true),
      // adl.nav.request_valid.*: the player (player.js, loaded after this script) knows
      // what navigation allows now; without a player the adapter answers "unknown".
      navValidity: (request, argument) => {
        const player = win.scormPlayer;
        return player && typeof player.requestValid === "function"
          ? player.requestValid(request, argument)
          : undefined;
      },
    });
    // The SCO resumes from its latest data: what the server has not acknowledged yet is
    // replayed over the launch state (and still sent first).
    for (const batch of unsent) runtime.applyChanges(batch.changes);

    win[config.version === "1.2" ? "API" : "API_1484_11"] = scormApi(runtime, config.version);
    const flush = () => {
      if (runtime.phase === "running" && runtime.hasChanges()) commitChanges(false);
      return queue.flush();
    };
    win.scormPlayer = Object.assign(win.scormPlayer || {}, { runtime, queue, flush });

    if (queue.pending.length) queue.flush();
    env.setInterval(() => {
      const due = runtime.phase === "running" && runtime.hasChanges() && !queue.stopped;
      if (due) commitChanges(false);
    }, config.commit_interval_ms || 30000);
    scheduleRenewal(queue, env, () => runtime.phase === "terminated" && !queue.pending.length);
    listenForLeaving(win, doc, queue, runtime, commitChanges);

    const frame = doc.getElementById("sco-frame");
    const launchUrl = config.launch_url || (frame && frame.getAttribute("data-launch-url"));
    if (frame && launchUrl) frame.src = launchUrl;
    return win.scormPlayer;
  }

  /**
   * Renew the runtime token at half its time to live (protocol 3), retrying on failure,
   * until saving stops or the session is over (`done()`).
   */
  function scheduleRenewal(queue, env, done) {
    let retry = FIRST_RETRY_MS;
    const plan = (ms) => env.setTimeout(async () => {
      if (queue.stopped || done()) return;
      if (await queue.renew()) {
        retry = FIRST_RETRY_MS;
        plan((queue.tokenTtl * 1000) / 2);
      } else if (!queue.stopped) {
        plan(retry);
        retry = Math.min(retry * 2, LAST_RETRY_MS);
      }
    }, ms);
    if (queue.tokenTtl) plan((queue.tokenTtl * 1000) / 2);
  }

  /**
   * pagehide / visibilitychange hidden: the page may never run again, so what changed goes
   * into a batch and everything pending goes by beacon. After pagehide every new batch
   * (say the final one the SCO's own unload handler makes) goes by beacon too. Whatever
   * arrives twice is acknowledged without being applied again.
   */
  function listenForLeaving(win, doc, queue, runtime, commitChanges) {
    const leave = (unloading) => {
      if (queue.stopped) return;
      if (unloading) queue.leaving = true;
      const changed = runtime.phase === "running" && runtime.hasChanges();
      if (changed) commitChanges(false); // while leaving, enqueue beacons everything
      if (!changed || !queue.leaving) queue.beacon();
    };
    win.addEventListener("pagehide", () => leave(true));
    win.addEventListener("pageshow", () => {
      queue.leaving = false;
      if (queue.pending.length) queue.flush();
    });
    doc.addEventListener("visibilitychange", () => {
      if (doc.visibilityState === "hidden") leave(false);
      else if (queue.pending.length) queue.flush();
    });
  }

  /** Start once the blob is in the document (script at the end of body, or deferred). */
  function startWhenReady(win) {
    const run = () => {
      if (!win.document.getElementById("scorm-runtime")) return;
      try {
        start(win);
      } catch (error) {
        if (win.console) win.console.error("scorm-player: the API adapter did not start", error);
      }
    };
    if (win.document.readyState !== "loading") run();
    else win.document.addEventListener("DOMContentLoaded", run);
  }

  return {
    CommitQueue, splitBatch, cutChanges, planParts, encodeBody, deflateRaw, scormApi, start,
    startWhenReady, PART_LIMIT, INFLIGHT_LIMIT, COMPRESS_ABOVE, DEFLATE_MARKER, MESSAGES,
  };
});

import chardet from 'chardet';
import iconv from 'iconv-lite';

/**
 * Bytes → text, honouring the declared character set.
 *
 * Order: byte-order mark, then the HTTP `Content-Type` charset, then the document's own declaration
 * (`<?xml encoding="…"?>`, `<meta charset>`), else UTF-8. Two corrections for real-world mislabelling:
 * - a legacy single-byte label (ISO-8859-x, windows-125x) on bytes that are valid UTF-8 with multi-byte
 *   sequences is a wrong label (such bytes are vanishingly unlikely in real Latin-1 text): UTF-8 is used;
 * - undeclared (or UTF-8-labelled) bytes that are not UTF-8 are sniffed (chardet): Shift_JIS, EUC-JP,
 *   GB18030, Big5, EUC-KR, windows-1251, KOI8-R, windows-125x, ISO-8859-x; windows-1252 (the common
 *   superset of ISO-8859-1) when nothing stands out;
 * - a Latin-1 label (a server default) on bytes that are clearly a CJK multi-byte encoding is that encoding.
 * ISO-8859-1 and US-ASCII labels are read as windows-1252, as browsers do (WHATWG Encoding).
 */
export interface DecodeHints {
  /** The HTTP Content-Type header, if any. */
  contentType?: string;
}

function charsetOfContentType(ct: string | undefined): string | undefined {
  return ct ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(ct)?.[1] : undefined;
}

/** The charset a document declares in its first bytes (XML declaration or HTML meta). */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 2048)).toString('latin1');
  return (
    /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1]
  );
}

function bomEncoding(bytes: Uint8Array): { encoding: string; skip: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  // No mark, but "<?" in UTF-16 (XML 1.0 Appendix F): an XML declaration written in UTF-16.
  if (bytes[0] === 0x3c && bytes[1] === 0 && bytes[2] === 0x3f && bytes[3] === 0)
    return { encoding: 'utf-16le', skip: 0 };
  if (bytes[0] === 0 && bytes[1] === 0x3c && bytes[2] === 0 && bytes[3] === 0x3f)
    return { encoding: 'utf-16be', skip: 0 };
  return undefined;
}

/** Scans the bytes as UTF-8: how many valid multi-byte sequences and how many invalid bytes it holds. */
function utf8Shape(bytes: Uint8Array): { multibyte: number; invalid: number } {
  let multibyte = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = len > 0 && i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) {
      const c = bytes[i + k]!;
      ok = c >= 0x80 && c <= 0xbf;
    }
    if (ok) {
      multibyte += 1;
      i += len;
    } else {
      invalid += 1;
      i += 1;
    }
  }
  return { multibyte, invalid };
}

const SINGLE_BYTE = /^(?:iso-?8859-?\d+|latin-?\d|windows-125\d|cp125\d|us-ascii|ascii)$/i;

function normalizeLabel(label: string): string {
  const l = label.trim().toLowerCase();
  if (/^(?:iso-?8859-?1|latin-?1|l1|us-ascii|ascii)$/.test(l)) return 'windows-1252';
  if (l === 'utf8') return 'utf-8';
  return l;
}

const MULTI_BYTE_LEGACY = /^(?:shift_jis|euc-jp|iso-2022-jp|gb18030|big5|euc-kr|iso-2022-kr|iso-2022-cn)$/i;
const SNIFF_BYTES = 64 * 1024;

/** The most likely legacy encoding of bytes that are not UTF-8 (and its confidence, 0-100). */
function sniffLegacy(bytes: Uint8Array): { encoding: string; confidence: number } {
  const best = chardet.analyse(bytes.subarray(0, SNIFF_BYTES))[0];
  const label = best ? normalizeLabel(best.name) : '';
  if (!best || best.confidence < 10 || label.startsWith('utf') || !iconv.encodingExists(label))
    return { encoding: 'windows-1252', confidence: 0 };
  return { encoding: label, confidence: best.confidence };
}

/** Mostly not UTF-8: invalid sequences at least as many as valid multi-byte ones. */
const notUtf8 = (shape: { multibyte: number; invalid: number }) =>
  shape.invalid > 0 && shape.invalid >= shape.multibyte;

/** The encoding that will be used for these bytes (a label iconv-lite knows). */
export function detectEncoding(bytes: Uint8Array, hints: DecodeHints = {}): string {
  const bom = bomEncoding(bytes);
  if (bom) return bom.encoding;
  const declared = charsetOfContentType(hints.contentType) ?? declaredCharset(bytes);
  const shape = utf8Shape(bytes);
  if (declared && iconv.encodingExists(normalizeLabel(declared))) {
    const label = normalizeLabel(declared);
    if (SINGLE_BYTE.test(declared.trim()) && shape.invalid === 0 && shape.multibyte > 0) return 'utf-8';
    if (label === 'utf-8') return notUtf8(shape) ? sniffLegacy(bytes).encoding : 'utf-8';
    if (label === 'windows-1252' && shape.invalid > 0) {
      const sniffed = sniffLegacy(bytes);
      if (MULTI_BYTE_LEGACY.test(sniffed.encoding) && sniffed.confidence >= 90) return sniffed.encoding;
    }
    return label;
  }
  return notUtf8(shape) ? sniffLegacy(bytes).encoding : 'utf-8';
}

export function decodeBytes(bytes: Uint8Array, hints: DecodeHints = {}): string {
  const bom = bomEncoding(bytes);
  const body = bom ? bytes.subarray(bom.skip) : bytes;
  return iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.length), detectEncoding(bytes, hints));
}

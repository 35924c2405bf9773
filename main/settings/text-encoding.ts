// settings.json is UTF-8, but a hand edit on Windows often is not: Notepad and PowerShell save
// "Unicode" as UTF-16 with a byte-order mark, and some editors put a mark before UTF-8 too. Read as
// UTF-8 such a file is unreadable (UTF-16) or looks like JSON with junk in front (the mark), so the
// bytes are decoded by what they are, and the caller tells the supervisor what it found.

export type TextEncodingFound = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

export interface DecodedText {
  text: string;
  encoding: TextEncodingFound;
}

const isAscii = (b: number | undefined): boolean => b !== undefined && b > 0 && b < 0x80;

function utf16le(bytes: Buffer): string {
  return bytes.subarray(0, bytes.length - (bytes.length % 2)).toString('utf16le');
}

/** Big-endian by swapping each pair: Node's Buffer decodes only little-endian UTF-16 without ICU. */
function utf16be(bytes: Buffer): string {
  const even = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return even.swap16().toString('utf16le');
}

export function decodeText(bytes: Buffer): DecodedText {
  const [b0, b1, b2] = [bytes[0], bytes[1], bytes[2]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  if (b0 === 0xff && b1 === 0xfe) return { text: utf16le(bytes.subarray(2)), encoding: 'utf-16le' };
  if (b0 === 0xfe && b1 === 0xff) return { text: utf16be(bytes.subarray(2)), encoding: 'utf-16be' };
  // No mark: JSON starts with an ASCII character, so a zero byte beside the first one can only be
  // UTF-16 (the detection RFC 4627 section 3 describes).
  if (isAscii(b0) && b1 === 0) return { text: utf16le(bytes), encoding: 'utf-16le' };
  if (b0 === 0 && isAscii(b1)) return { text: utf16be(bytes), encoding: 'utf-16be' };
  return { text: bytes.toString('utf8'), encoding: 'utf-8' };
}
